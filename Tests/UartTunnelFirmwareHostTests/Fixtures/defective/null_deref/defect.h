/* The defect this build of defective_tunnel.c has. */
#define DEFECT_NULL_DEREF 1
