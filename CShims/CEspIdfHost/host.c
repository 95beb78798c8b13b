#include "CEspIdfHost.h"
