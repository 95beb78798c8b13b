/* planted_tunnel.c: reuses_lent */
#define PLANTED_REUSES_LENT 1
