// Host side of the ESP-IDF host layer (what Swift calls). Placeholder until the layer lands.
#ifndef CESPIDFHOST_H
#define CESPIDFHOST_H
#endif
