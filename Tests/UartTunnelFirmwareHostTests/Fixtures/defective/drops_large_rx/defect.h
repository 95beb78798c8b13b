/* The defect this build of defective_tunnel.c has. */
#define DEFECT_DROPS_LARGE_RX 1
