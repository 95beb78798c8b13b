/* The defect this build of defective_tunnel.c has. */
#define DEFECT_TRUNCATES_RX 1
