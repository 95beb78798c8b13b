/* The defect this build of defective_tunnel.c has. */
#define DEFECT_UNLOCKED_CALL 1
