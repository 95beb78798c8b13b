/* The defect this build of defective_tunnel.c has. */
#define DEFECT_TX_LIMIT_1500 1
