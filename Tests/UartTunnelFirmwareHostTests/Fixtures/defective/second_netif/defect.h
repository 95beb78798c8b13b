/* No defect: a second esp_netif that the firmware feeds itself, not from the UART. */
#define SECOND_NETIF 1
