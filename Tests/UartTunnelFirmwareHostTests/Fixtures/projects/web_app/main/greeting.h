#pragma once
/* The greeting, from greeting_quiet.c or greeting_loud.c (CONFIG_APP_LOUD_GREETING). */
const char *greeting(void);
