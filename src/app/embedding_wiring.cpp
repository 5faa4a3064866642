// Wires embeddings: the WordNet lexicon, the configured embedder and /v1/embeddings.
#include <stdexcept>

#include "api/embedding_routes.hpp"
#include "app/state.hpp"
#include "providers/embed/local_embedder.hpp"
#include "providers/embed/wordnet_lexicon.hpp"

namespace companion::app {

void wire_embeddings(Companion::State& s) {
  s.lexicon = std::make_shared<providers::embed::WordNetLexicon>();
  if (s.config.embedding_provider != "local")
    throw std::runtime_error("embedding provider must be \"local\", not \"" +
                             s.config.embedding_provider + "\"");
  // Not behind a CachedEmbedder: its vectors follow the document frequencies it observes,
  // and a cache would keep the weights of the moment a vector was made. At about a quarter
  // of a millisecond per 100-word text (bench/embed_bench) it needs no cache; remote
  // providers will.
  auto local = std::make_shared<providers::embed::LocalEmbedder>(s.lexicon);
  s.corpus_statistics = local;
  s.embedder = local;
  api::register_embedding_routes(s.http.router(), s.embedder);
}

}  // namespace companion::app
