/* The defect this build of defective_tunnel.c has. */
#define DEFECT_NO_STATIC_ARP 1
