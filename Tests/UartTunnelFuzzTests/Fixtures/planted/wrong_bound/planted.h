/* planted_tunnel.c: wrong_bound */
#define PLANTED_WRONG_BOUND 1
