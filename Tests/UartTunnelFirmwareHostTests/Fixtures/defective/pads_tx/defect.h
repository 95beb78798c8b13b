/* The defect this build of defective_tunnel.c has. */
#define DEFECT_PADS_TX 1
