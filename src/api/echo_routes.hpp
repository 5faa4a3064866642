#pragma once
// POST /api/echo: a diagnostics endpoint. A client checks that its credential is accepted
// and sees its JSON body come back as the server parsed it; the benchmark uses it as the
// authenticated JSON route.
#include "http/router.hpp"

namespace companion::api {

void register_echo_routes(http::Router& router);

}  // namespace companion::api
