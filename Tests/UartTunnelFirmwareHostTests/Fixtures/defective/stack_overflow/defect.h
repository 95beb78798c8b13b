/* The defect this build of defective_tunnel.c has. */
#define DEFECT_STACK_OVERFLOW 1
