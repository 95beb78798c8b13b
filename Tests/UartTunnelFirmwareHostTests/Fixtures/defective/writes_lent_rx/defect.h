/* The defect this build of defective_tunnel.c has. */
#define DEFECT_WRITES_LENT_RX 1
