/* planted_tunnel.c: no_resync */
#define PLANTED_NO_RESYNC 1
