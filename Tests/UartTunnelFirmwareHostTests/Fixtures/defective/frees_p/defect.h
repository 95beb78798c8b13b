/* The defect this build of defective_tunnel.c has. */
#define DEFECT_FREES_P 1
