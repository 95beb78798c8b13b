/* No defect: defective_tunnel.c as a well-behaved driver. */
