/* Variant "confirms": address in the inherent config; the first frame from the peer confirms the link and
 * re-applies the address with esp_netif_set_ip_info(), as eppp's TUN path does after its ping succeeds. */
#pragma once
#define EPPP_STYLE_CHECK_LINK 1
