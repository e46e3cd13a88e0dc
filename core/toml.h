// toml++ (Debian's 3.x), header only, without exceptions, and with its
// "unreachable" points made defined: it marks as __builtin_unreachable()
// code that non-ASCII input does reach (its whitespace check, found by
// fuzz_hub_config), which is undefined behaviour. Here they trap instead.
// CheckTomlText (core/toml_text.h) refuses such text before toml++ sees
// it; the trap is the last line of defence. Include this, never
// <toml++/toml.h> directly.
#pragma once

#define TOML_EXCEPTIONS 0
#define TOML_HEADER_ONLY 1
#include <toml++/impl/preprocessor.h>
#undef TOML_UNREACHABLE
#define TOML_UNREACHABLE __builtin_trap()
#include <toml++/toml.h>
