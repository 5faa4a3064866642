#include "http/middleware/error_mapping.hpp"

#include "http/error.hpp"

namespace companion::http {

Response ErrorMapping::handle(Request& req, const Next& next) {
  try {
    return next(req);
  } catch (const ValidationError& e) {
    return validation_error(e.errors());
  } catch (const HttpError& e) {
    return error_response(e.status(), e.what(), e.code());
  } catch (const std::exception& e) {
    if (report_) report_(req, e.what());
    return error_response(500, "Internal server error");
  } catch (...) {
    if (report_) report_(req, "unknown exception");
    return error_response(500, "Internal server error");
  }
}

}  // namespace companion::http
