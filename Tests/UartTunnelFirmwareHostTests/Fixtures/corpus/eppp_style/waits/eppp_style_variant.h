/* Variant "waits": static address set before start, nothing confirms the link afterwards. */
#pragma once
#define EPPP_STYLE_CHECK_LINK 0
