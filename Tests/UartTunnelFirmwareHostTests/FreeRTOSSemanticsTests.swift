import UartTunnelTestSupport
import Foundation
import Testing
@testable import UartTunnelChecks

/// The host layer's FreeRTOS objects (queues, semaphores, mutexes, event groups, software timers, task
/// notifications) and esp_timer, measured from inside firmware (`Fixtures/probes/rtos_probe.c`) against what
/// ESP-IDF v5.4 (FreeRTOS-Kernel 10.5.1: queue.c, tasks.c, timers.c, event_groups.c; esp_timer.c) does.
/// Timed checks assert lower bounds only: the CI machine is a loaded 2-core box.
@Suite(.ownThreads) struct FreeRTOSSemanticsTests {
    /// One run of the probe for every test: it logs its results, then aborts on purpose (the last step).
    private static let run: (status: Int32?, output: String) = {
        do {
            let device = try FirmwareDeviceProcess(["--driver", FirmwareDeviceProcess.fixture("probes/rtos_probe.c")])
            _ = device.child.waitForOutput(containing: "probe done", timeout: .seconds(60))
            let status = device.child.wait(timeout: .seconds(30))
            return (status, device.output)
        } catch {
            return (nil, "the device did not start: \(error)")
        }
    }()

    /// "probe queue-order: a=0 b=1 c=2" → ["a": 0, "b": 1, "c": 2]
    private func values(_ check: String) throws -> [String: Int] {
        let output = Self.run.output
        let line = try #require(output.split(separator: "\n").first(where: { $0.contains("probe \(check):") }),
                                "no \"probe \(check):\" line in:\n\(output)")
        var values: [String: Int] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=")
            if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    private func line(_ check: String) -> String {
        Self.run.output.split(separator: "\n").first(where: { $0.contains("probe \(check):") }).map(String.init) ?? ""
    }

    // MARK: queues (queue.c: xQueueGenericSend, xQueueReceive, xQueuePeek, xQueueGenericReset)

    @Test func queuesAreFIFOWithSendToFrontAndOverwrite() throws {
        #expect(try values("queue-order") == ["a": 0, "b": 1, "c": 2])
        // xQueueOverwrite on a one-item queue replaces the item; the count stays 1; a peek leaves it there.
        let overwrite = try values("queue-overwrite")
        #expect(overwrite == ["o1": 1, "o2": 1, "pk": 1, "peek": 7, "waiting": 1, "got": 7], "\(overwrite)")
        // xQueueCreateStatic keeps the items in the caller's storage.
        #expect(try values("queue-static") == ["created": 1, "in_storage": 1])
    }

    @Test func fullAndEmptyQueuesFailAtOnceWithoutWaiting() throws {
        let full = try values("queue-full")
        #expect(full["s1"] == 1 && full["s2"] == 1 && full["spaces"] == 0 && full["waiting"] == 2, "\(full)")
        #expect(full["full"] == 0 && full["errfull"] == 0, "errQUEUE_FULL is 0: \(full)")
        #expect(full["r1"] == 1 && full["r2"] == 1 && full["empty"] == 0 && full["errempty"] == 0, "\(full)")
        #expect(try values("queue-reset") == ["rc": 1, "waiting": 0, "spaces": 2])
        // FromISR variants never block and leave *pxHigherPriorityTaskWoken alone.
        #expect(try values("queue-isr") == ["send": 1, "full": 0, "recv": 1, "v": 9, "woken": 0, "empty": 1])
        // A consumer blocked with portMAX_DELAY gets an item sent later.
        #expect(try values("queue-handoff")["got"] == 42)
    }

    @Test func timedWaitsLastAtLeastTheirTicks() throws {
        // 100 Hz: 5 ticks are at least 50 ms, 3 ticks at least 30 ms.
        for (check, ms) in [("queue-timed", 50), ("queue-send-timed", 50), ("binary-timed", 30),
                            ("notify-count", 30)] {
            let result = try values(check)
            #expect((ms..<10_000).contains(result["ms"] ?? -1), "\(check): \(result)")
        }
        #expect(try values("queue-timed")["rc"] == 0)
        #expect(try values("queue-send-timed")["rc"] == 0)
        #expect(try values("binary-timed")["rc"] == 0)
        let partial = try values("eg-wait")
        #expect((30..<10_000).contains(partial["partial_ms"] ?? -1), "\(partial)")
    }

    // MARK: semaphores and mutexes (semphr.h over queue.c)

    @Test func semaphoresCountAndMutexesBelongToTheirHolder() throws {
        // A binary semaphore starts empty; a second give fails (the one-item queue is full).
        let binary = try values("binary")
        #expect(binary == ["initial": 0, "take0": 0, "give1": 1, "give2": 0, "take1": 1, "isr_give": 1,
                           "isr_take": 1], "\(binary)")
        let counting = try values("counting")
        #expect(counting == ["initial": 1, "g1": 1, "g2": 1, "g3": 0, "full": 3, "takes": 3, "after": 0],
                "\(counting)")
        // A mutex records its holder; another task can not take it until it is given back.
        let mutex = try values("mutex")
        #expect(mutex == ["free_give": 0, "take": 1, "holder_is_me": 1, "other_while_held": 0, "give": 1,
                          "other_after": 1, "holder_after": 1], "\(mutex)")
        // xQueueTakeMutexRecursive / xQueueGiveMutexRecursive: three takes need three gives; a give by a task that
        // does not hold it returns pdFAIL; while held the count reads 0.
        let recursive = try values("recursive")
        #expect(recursive == ["takes": 3, "count_held": 0, "other_give": 0, "other_after_two": 0, "last_give": 1,
                              "other_after_three": 1, "extra_give": 0], "\(recursive)")
    }

    @Test func aMutexGivenByATaskThatDoesNotHoldItAbortsAsOnESPIDF() throws {
        // xTaskPriorityDisinherit's configASSERT(pxTCB == pxCurrentTCB) fails; ESP-IDF prints it and aborts.
        let output = Self.run.output
        #expect(try values("giving a mutex held by another task")["taken_by_other"] == 1)
        #expect(output.contains("assert failed: xTaskPriorityDisinherit"), "\(output.suffix(3000))")
        #expect(output.contains("DEFECT freertos-assert:"), "\(output.suffix(3000))")
        #expect(!output.contains("probe NOT-ABORTED"))
        let status = try #require(Self.run.status, "the device did not exit: \(output.suffix(3000))")
        #expect(status != 0)
    }

    // MARK: event groups (event_groups.c)

    @Test func eventGroupsWaitForAllAndClearOnExit() throws {
        let wait = try values("eg-wait")
        // Waiting for A|B with only A: times out, returns the bits, clears nothing.
        #expect(wait["set_a"] == 1 && wait["partial"] == 1 && wait["still"] == 1, "\(wait)")
        // Any-bit wait with clear on exit: returns A|C, clears only A (the bits waited for).
        #expect(wait["any"] == 5 && wait["after_any"] == 4, "\(wait)")
        // xEventGroupClearBits returns the bits before clearing.
        #expect(wait["clear_returned"] == 4 && wait["now"] == 0, "\(wait)")
        // Another task blocked for all of A|B wakes with both, and clears them on exit.
        #expect(try values("eg-all") == ["waiter_got": 3, "bits_after": 0])
        // xEventGroupSync: both sides get A|B; the rendezvous bits are cleared.
        #expect(try values("eg-sync") == ["mine": 3, "theirs": 3, "after": 0])
        // FromISR goes through the timer service task (xTimerPendFunctionCallFromISR), so it lands later.
        #expect(try values("eg-isr") == ["set": 1, "seen": 4, "clear": 1, "after": 0])
    }

    // MARK: software timers (timers.c)

    @Test func softwareTimersRunOnTheServiceTaskInExpiryOrder() throws {
        let reload = try values("timer-reload")
        #expect(reload["dormant"] == 0 && reload["start_auto"] == 1 && reload["start_once"] == 1, "\(reload)")
        // By the auto-reload timer's fifth expiry the one-shot of the same period fired exactly once.
        #expect(reload["five"] == 1 && (reload["auto_fires"] ?? 0) >= 5 && reload["once_fires"] == 1, "\(reload)")
        #expect(reload["active_in_callback"] == 1 && reload["active_after_stop"] == 0 && reload["once_active"] == 0,
                "\(reload)")
        #expect(try values("timer-id") == ["name_ok": 1, "id": 1, "new_id": 77, "period": 2, "reload": 1])
        // Started C (60 ticks), A (20), B (40): callbacks run A, B, C, all on the one "Tmr Svc" task.
        let order = line("timer-order")
        #expect(order.contains("all=1 order=ABC"), "\(order)")
        #expect(order.contains("one_task=1 svc=1 task=Tmr Svc"), "\(order)")
        #expect((590..<10_000).contains(try values("timer-order")["ms"] ?? -1), "\(order)")
        // xTimerChangePeriod starts a dormant timer; xTimerReset restarts a one-shot that already fired.
        #expect(try values("timer-change") == ["change": 1, "reset": 1, "fires": 2, "period": 3])
        #expect(try values("timer-delete")["rc"] == 1)
    }

    // MARK: task notifications (tasks.c: xTaskGenericNotify, ulTaskGenericNotifyTake, xTaskGenericNotifyWait)

    @Test func taskNotificationsCountAndCarryValues() throws {
        // Three gives: a non-clearing take returns 3 and leaves 2; a clearing take returns 2; then nothing.
        let count = try values("notify-count")
        #expect(count["first"] == 3 && count["second"] == 2 && count["none"] == 0, "\(count)")
        #expect(try values("notify-bits") == ["rc": 1, "bits": 5, "again": 0, "after": 0])
        // eSetValueWithoutOverwrite fails while one is pending; eSetValueWithOverwrite replaces; eNoAction notifies.
        let notify = try values("notify-values")
        #expect(notify == ["w1": 1, "w2": 0, "kept": 7, "w3": 1, "previous": 7, "overwritten": 11, "noaction": 1,
                           "pending": 1, "value": 11], "\(notify)")
        #expect(try values("notify-isr") == ["before_clear": 11, "rc": 1, "taken": 2, "woken": 0])
        #expect(try values("notify-task")["got"] == 1)
    }

    // MARK: esp_timer (esp_timer.c)

    @Test func espTimerReturnCodesAndItsTask() throws {
        let invalidArg = 0x102, invalidState = 0x103
        let codes = try values("esp_timer-codes")
        #expect(codes == ["null_args": invalidArg, "created": 0, "stop_idle": invalidState,
                          "restart_idle": invalidState, "active_idle": 0, "start": 0, "start_again": invalidState,
                          "active": 1, "delete_armed": invalidState, "stop": 0, "start_short": 0, "fired": 1,
                          "fires": 1, "active_after": 0, "delete": 0], "\(codes)")
        // A periodic timer is re-armed before its callback runs, so starting it from the callback is
        // ESP_ERR_INVALID_STATE; five 10 ms periods take at least 50 ms; callbacks run on the "esp_timer" task.
        let periodic = try values("esp_timer-periodic")
        #expect(periodic["start"] == 0 && periodic["five"] == 1 && periodic["stop"] == 0 && periodic["delete"] == 0,
                "\(periodic)")
        #expect(periodic["restart_in_callback"] == invalidState, "\(periodic)")
        #expect((50..<10_000).contains(periodic["ms"] ?? -1), "\(periodic)")
        #expect(line("esp_timer-periodic").contains(" task=esp_timer"), "\(line("esp_timer-periodic"))")
    }

    // MARK: deletion

    @Test func aTaskDeletedWhileBlockedEndsThereAndNeverReturns() throws {
        // Four tasks blocked forever (queue, semaphore, event group, notification) are deleted by the probe task:
        // their threads (named after the tasks) end, and what they waited for, sent afterwards, stays unclaimed
        // while the device goes on through every other check.
        let deleted = try values("delete-blocked")
        #expect(deleted["ready"] == 4 && deleted["alive_before"] == 4 && deleted["alive_after"] == 0, "\(deleted)")
        #expect(try values("delete-leftovers") == ["queue": 1, "sem": 1, "bits": 1])
        #expect(!Self.run.output.contains("VICTIM-RETURNED"), "\(Self.run.output)")
    }
}
