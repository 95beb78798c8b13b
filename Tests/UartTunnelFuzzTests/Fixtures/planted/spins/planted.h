/* planted_tunnel.c: spins */
#define PLANTED_SPINS 1
