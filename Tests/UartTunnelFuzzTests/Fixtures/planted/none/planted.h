/* planted_tunnel.c with no planted bug */
