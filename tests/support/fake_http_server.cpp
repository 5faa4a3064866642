#include "support/fake_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <stdexcept>
#include <thread>

namespace companion::testing {

namespace {

// Bounds every wait for the client, so that a broken client fails its test, not the run.
constexpr int kReadLimitMs = 10'000;
// Long enough for the client to take each piece in its own read on a loaded machine.
constexpr auto kPieceGap = std::chrono::milliseconds(30);

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

template <class T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    throw std::runtime_error("cannot add a certificate extension");
}

}  // namespace

SelfSignedCertificate make_self_signed_certificate(const std::string& subject_alt_names) {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("cannot generate a key");
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("companion test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_alt_name, subject_alt_names.c_str());
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    throw std::runtime_error("cannot sign the certificate");

  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(cert_bio.get(), cert.get());
  PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return {bio_to_string(cert_bio.get()), bio_to_string(key_bio.get())};
}

// --- FakeConnection ---------------------------------------------------------------------

long FakeConnection::receive(char* data, std::size_t size) {
  pollfd p{fd_, POLLIN, 0};
  if (!(ssl_ && SSL_pending(ssl_) > 0) && ::poll(&p, 1, kReadLimitMs) <= 0) return -1;
  if (ssl_) return SSL_read(ssl_, data, static_cast<int>(size));
  return ::recv(fd_, data, size, 0);
}

bool FakeConnection::read_request() {
  char buf[4096];
  while (head_size_ == 0) {
    long n = receive(buf, sizeof buf);
    if (n <= 0) return false;
    request_.append(buf, static_cast<std::size_t>(n));
    auto end = request_.find("\r\n\r\n");
    if (end != std::string::npos) head_size_ = end + 4;
  }
  std::string length = header("content-length");
  std::size_t want = head_size_ + (length.empty() ? 0 : std::stoul(length));
  while (request_.size() < want) {
    long n = receive(buf, sizeof buf);
    if (n <= 0) return false;
    request_.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

std::string FakeConnection::method() const {
  return request_.substr(0, request_.find(' '));
}

std::string FakeConnection::target() const {
  auto start = request_.find(' ') + 1;
  return request_.substr(start, request_.find(' ', start) - start);
}

std::string FakeConnection::body() const {
  return request_.substr(head_size_);
}

std::string FakeConnection::header(std::string_view name) const {
  std::string head = lower(std::string_view(request_).substr(0, head_size_));
  std::string needle = "\r\n" + lower(name) + ":";
  auto at = head.find(needle);
  if (at == std::string::npos) return {};
  auto start = at + needle.size();
  auto end = head.find("\r\n", start);
  std::string value = request_.substr(start, end - start);
  value.erase(0, value.find_first_not_of(' '));
  return value;
}

bool FakeConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    long n = ssl_ ? SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()))
                  : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool FakeConnection::send_pieces(std::initializer_list<std::string_view> pieces) {
  for (auto piece : pieces) {
    if (!send(piece)) return false;
    std::this_thread::sleep_for(kPieceGap);
  }
  return true;
}

bool FakeConnection::wait_for_close(std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  char sink[4096];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, 50);
    if (ready < 0) return true;
    if (ready == 0) continue;
    long n = ssl_ ? SSL_read(ssl_, sink, sizeof sink) : ::recv(fd_, sink, sizeof sink, 0);
    if (n <= 0) return true;
  }
  return false;
}

void FakeConnection::reset() {
  linger hard{1, 0};  // a zero linger makes close() send a reset
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(fd_);
  fd_ = -1;
}

// --- FakeHttpServer ---------------------------------------------------------------------

struct FakeHttpServer::Impl {
  Handler handler;
  SSL_CTX* tls = nullptr;
  int listener = -1;
  std::uint16_t port = 0;
  std::atomic<int> accepted{0};
  std::atomic<bool> stopping{false};
  std::thread thread;

  void serve();
  void serve_one(int fd);
};

void FakeHttpServer::Impl::serve() {
  while (!stopping) {
    int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) return;
    ++accepted;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    serve_one(fd);
  }
}

void FakeHttpServer::Impl::serve_one(int fd) {
  SSL* ssl = nullptr;
  if (tls) {
    ssl = SSL_new(tls);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {  // a client that refused our certificate ends here
      SSL_free(ssl);
      ::close(fd);
      return;
    }
  }
  FakeConnection connection(fd, ssl);
  if (connection.read_request()) handler(connection);
  if (ssl) {
    if (connection.fd_ >= 0) SSL_shutdown(ssl);
    SSL_free(ssl);
  }
  if (connection.fd_ >= 0) ::close(connection.fd_);
}

namespace {

SSL_CTX* make_server_tls(const SelfSignedCertificate& certificate) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  BioPtr cert_bio(BIO_new_mem_buf(certificate.certificate_pem.data(),
                                  static_cast<int>(certificate.certificate_pem.size())));
  BioPtr key_bio(BIO_new_mem_buf(certificate.private_key_pem.data(),
                                 static_cast<int>(certificate.private_key_pem.size())));
  CertPtr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!cert || !key || SSL_CTX_use_certificate(ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) {
    SSL_CTX_free(ctx);
    throw std::runtime_error("cannot load the test certificate");
  }
  return ctx;
}

}  // namespace

FakeHttpServer::FakeHttpServer(Handler handler, std::optional<SelfSignedCertificate> tls)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  if (tls) impl_->tls = make_server_tls(*tls);
  impl_->listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(impl_->listener, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(impl_->listener, 16) != 0 ||
      ::getsockname(impl_->listener, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("cannot listen on 127.0.0.1");
  impl_->port = ntohs(address.sin_port);
  impl_->thread = std::thread([impl = impl_.get()] { impl->serve(); });
}

FakeHttpServer::~FakeHttpServer() {
  impl_->stopping = true;
  ::shutdown(impl_->listener, SHUT_RDWR);  // wakes the blocked accept()
  impl_->thread.join();
  ::close(impl_->listener);
  if (impl_->tls) SSL_CTX_free(impl_->tls);
}

std::uint16_t FakeHttpServer::port() const {
  return impl_->port;
}

std::string FakeHttpServer::url(std::string_view path) const {
  std::string scheme = impl_->tls ? "https" : "http";
  return scheme + "://127.0.0.1:" + std::to_string(impl_->port) + std::string(path);
}

int FakeHttpServer::connections() const {
  return impl_->accepted;
}

}  // namespace companion::testing
