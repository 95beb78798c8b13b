/* The defect this build of defective_tunnel.c has. */
#define DEFECT_LEAKS_PER_FRAME 1
