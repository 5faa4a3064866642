// The one translation unit that compiles Asio and Beast (separate compilation): every other
// file includes their headers for declarations only, which keeps rebuilds fast.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
