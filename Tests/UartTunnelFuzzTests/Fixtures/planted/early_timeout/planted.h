/* planted_tunnel.c: a partial-frame timeout 40 ms short of 1 s, inside the band where either verdict is fair */
#define PLANTED_FRAME_TIMEOUT_MS 960
