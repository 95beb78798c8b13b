/* The rtos layer's internal interface (FreeRTOS tasks on pthreads); see base/base.h for the layers. */
#ifndef HOST_RTOS_H
#define HOST_RTOS_H

#include "base/base.h"

/* Ends the calling task now if vTaskDelete or shutdown marked it (call with no locks held). */
void host_task_exit_if_deleted(void);
/* True if the calling task was marked for deletion. */
bool host_task_deletion_pending(void);
bool host_is_shutting_down(void);
/* Layers above register what must happen when a task is deleted (wake their blocked waiters so the task notices)
 * and at shutdown (stop their servers); the scheduler runs them without knowing who they are. */
void host_rtos_on_wake(void (*hook)(void));
void host_rtos_on_shutdown(void (*hook)(void));
/* task_stack.c, safe in a signal handler: if `address` lies in the calling task's stack guard, its name and the stack
 * size it asked for.  host_current_task_name: the calling task's name, or NULL for a thread that is not a task. */
bool host_task_stack_fault(const void *address, const char **name, uint32_t *requested);
const char *host_current_task_name(void);

#endif
