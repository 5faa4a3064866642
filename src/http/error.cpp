#include "http/error.hpp"

#include <boost/json.hpp>

#include "http/time_format.hpp"

namespace companion::http {

std::string_view code_for_status(int status) {
  switch (status) {
    case 400: return "INVALID_REQUEST";
    case 401: return "UNAUTHORIZED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 408: return "REQUEST_TIMEOUT";
    case 409: return "CONFLICT";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 415: return "UNSUPPORTED_MEDIA_TYPE";
    case 416: return "RANGE_NOT_SATISFIABLE";
    case 422: return "VALIDATION_ERROR";
    case 429: return "RATE_LIMIT_EXCEEDED";
    case 500: return "INTERNAL_ERROR";
    case 503: return "SERVICE_UNAVAILABLE";
    default: return status >= 500 ? "INTERNAL_ERROR" : "INVALID_REQUEST";
  }
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

Response error_response(int status, std::string_view detail, std::string_view code) {
  boost::json::object body;
  body["detail"] = detail;
  body["code"] = code.empty() ? code_for_status(status) : code;
  body["status_code"] = status;
  body["timestamp"] = iso8601_now();
  return Response::json(status, body);
}

Response validation_error(const std::vector<FieldError>& errors) {
  boost::json::array detail;
  for (const auto& e : errors) {
    boost::json::array loc;
    for (const auto& part : e.loc) loc.emplace_back(part);
    detail.emplace_back(boost::json::object{{"loc", loc}, {"msg", e.msg}, {"type", e.type}});
  }
  boost::json::object body;
  body["detail"] = std::move(detail);
  body["code"] = code_for_status(422);
  body["status_code"] = 422;
  body["timestamp"] = iso8601_now();
  return Response::json(422, body);
}

}  // namespace companion::http
