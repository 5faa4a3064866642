#pragma once
// Realistic, varied memories for the memory benchmarks: facts a companion learns about a
// person (family, work, food, trips, pets, plans, health, purchases, feelings), generated
// from templates and word lists, each with a question a user would ask to find it again.
// Deterministic for a seed, so a benchmark can regenerate the same corpus it stored.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace companion::bench {

struct GeneratedMemory {
  std::string content;
  std::string category;
  double importance = 0.5;
  std::string question;  // asks for this memory without quoting it
};

class MemoryCorpus {
 public:
  explicit MemoryCorpus(std::uint64_t seed) : rng_(seed) {}

  GeneratedMemory next() {
    switch (rng_() % 14) {
      case 0:
        return relative_lives();
      case 1:
        return job();
      case 2:
        return food();
      case 3:
        return trip();
      case 4:
        return pet();
      case 5:
        return birthday();
      case 6:
        return purchase();
      case 7:
        return learning();
      case 8:
        return allergy();
      case 9:
        return music();
      case 10:
        return book();
      case 11:
        return feeling();
      case 12:
        return sport();
      default:
        return plan();
    }
  }

 private:
  using Words = std::vector<std::string>;

  const std::string& pick(const Words& words) { return words[rng_() % words.size()]; }
  double importance() { return static_cast<double>(rng_() % 100) / 100.0; }

  GeneratedMemory relative_lives() {
    auto rel = pick(relatives), name = pick(names), city = pick(cities);
    return {
        "User's " + rel + " " + name + " lives in " + city + " and works near the " + pick(places),
        "family", importance(), "where does my " + rel + " " + name + " live"};
  }
  GeneratedMemory job() {
    auto role = pick(jobs), company = pick(companies);
    return {"User works as a " + role + " at " + company + " since " + pick(years), "work",
            importance(), "what is my job at " + company};
  }
  GeneratedMemory food() {
    auto dish = pick(dishes), day = pick(weekdays);
    return {"User loves cooking " + dish + " with " + pick(ingredients) + " on " + day,
            "preferences", importance(), "what do I like to cook on " + day};
  }
  GeneratedMemory trip() {
    auto city = pick(cities), season = pick(seasons);
    return {"User went " + pick(activities) + " in " + city + " last " + season + " with " +
                pick(names),
            "travel", importance(), "what did I do in " + city + " last " + season};
  }
  GeneratedMemory pet() {
    auto kind = pick(pets), name = pick(pet_names);
    return {"User has a " + pick(colours) + " " + kind + " called " + name + " who loves the " +
                pick(places),
            "family", importance(), "what is the name of my " + kind};
  }
  GeneratedMemory birthday() {
    auto rel = pick(relatives), name = pick(names);
    return {"User's " + rel + " " + name + " has a birthday on " + pick(months) + " " +
                std::to_string(1 + rng_() % 28),
            "personal_info", importance(), "when is the birthday of my " + rel + " " + name};
  }
  GeneratedMemory purchase() {
    auto item = pick(items);
    return {"User bought a new " + item + " from " + pick(shops) + " for " +
                std::to_string(20 + rng_() % 900) + " euros",
            "shopping", importance(), "where did I buy my " + item};
  }
  GeneratedMemory learning() {
    auto skill = pick(skills);
    return {"User wants to learn " + skill + " with a " + pick(teachers) + " this " + pick(seasons),
            "goals", importance(), "which skill do I want to learn, " + skill + "?"};
  }
  GeneratedMemory allergy() {
    auto allergen = pick(allergens);
    return {"User is allergic to " + allergen + " and avoids " + pick(dishes), "health",
            importance(), "am I allergic to " + allergen};
  }
  GeneratedMemory music() {
    auto band = pick(bands);
    return {"User's favourite band is " + band + " and they saw them live in " + pick(cities),
            "preferences", importance(), "which band do I like, was it " + band};
  }
  GeneratedMemory book() {
    auto topic = pick(topics);
    return {
        "User is reading a " + pick(adjectives) + " novel about " + topic + " by " + pick(names),
        "hobbies", importance(), "what book about " + topic + " am I reading"};
  }
  GeneratedMemory feeling() {
    auto event = pick(events);
    return {"User felt " + pick(emotions) + " after the " + event + " on " + pick(weekdays), "mood",
            importance(), "how did I feel after the " + event};
  }
  GeneratedMemory sport() {
    auto activity = pick(activities), place = pick(places);
    return {
        "User goes " + activity + " near the " + place + " every " + pick(weekdays) + " morning",
        "hobbies", importance(), "when do I go " + activity + " near the " + place};
  }
  GeneratedMemory plan() {
    auto city = pick(cities), month = pick(months);
    return {"User plans a trip to " + city + " in " + month + " to visit " + pick(names), "plans",
            importance(), "what are my plans for " + month + " in " + city};
  }

  std::mt19937_64 rng_;
  const Words relatives = {"sister",  "brother",     "mother",      "father",      "cousin",
                           "aunt",    "uncle",       "grandmother", "grandfather", "niece",
                           "nephew",  "daughter",    "son",         "wife",        "husband",
                           "partner", "best friend", "neighbour"};
  const Words names = {"Maya",  "Liam",  "Sofia", "Noah",   "Amara", "Jonas", "Elena", "Mateo",
                       "Hana",  "Omar",  "Clara", "Felix",  "Ines",  "Tariq", "Lea",   "Ravi",
                       "Greta", "Yusuf", "Nora",  "Pablo",  "Aiko",  "Emil",  "Zara",  "Hugo",
                       "Lina",  "Kofi",  "Mila",  "Arjun",  "Freya", "Luca",  "Selin", "Theo",
                       "Ada",   "Bruno", "Chloe", "Dmitri", "Esme",  "Farah", "Gus",   "Ivy"};
  const Words cities = {"Lyon",      "Berlin",   "Lisbon",  "Kyoto",   "Toronto",  "Nairobi",
                        "Seville",   "Krakow",   "Oslo",    "Dublin",  "Porto",    "Vienna",
                        "Prague",    "Montreal", "Seattle", "Austin",  "Milan",    "Naples",
                        "Athens",    "Istanbul", "Cairo",   "Lagos",   "Lima",     "Bogota",
                        "Hanoi",     "Seoul",    "Osaka",   "Perth",   "Auckland", "Reykjavik",
                        "Edinburgh", "Bristol",  "Ghent",   "Utrecht", "Bergen",   "Tallinn"};
  const Words places = {"lake",   "river",   "harbour", "old town", "park",    "forest", "beach",
                        "market", "station", "library", "museum",   "stadium", "hills",  "bridge"};
  const Words jobs = {"nurse",      "developer",   "teacher",      "architect", "chef",
                      "pharmacist", "electrician", "lawyer",       "designer",  "accountant",
                      "journalist", "pilot",       "carpenter",    "dentist",   "translator",
                      "engineer",   "librarian",   "photographer", "baker",     "veterinarian"};
  const Words companies = {"Northwind",
                           "Acme",
                           "Globex",
                           "Initech",
                           "Umbrella",
                           "Hooli",
                           "Vandelay",
                           "Stark Labs",
                           "Wayne Foods",
                           "Tyrell",
                           "Cyberdyne",
                           "Soylent",
                           "Oscorp",
                           "Aperture",
                           "Monarch",
                           "Gringotts",
                           "the city hospital",
                           "the public library",
                           "a small bakery",
                           "the university"};
  const Words years = {"2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023"};
  const Words dishes = {"lasagne", "ramen",     "paella",      "curry",    "risotto",
                        "tacos",   "dumplings", "pancakes",    "moussaka", "pho",
                        "gnocchi", "falafel",   "goulash",     "sushi",    "shakshuka",
                        "biryani", "pierogi",   "ratatouille", "chili",    "tagine"};
  const Words ingredients = {
      "garlic", "saffron", "mushrooms", "lemon",     "ginger",  "basil",     "chickpeas", "tofu",
      "salmon", "lentils", "spinach",   "coriander", "paprika", "aubergine", "pumpkin",   "feta"};
  const Words weekdays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                          "Friday", "Saturday", "Sunday"};
  const Words seasons = {"spring", "summer", "autumn", "winter"};
  const Words months = {"January", "February", "March",     "April",   "May",      "June",
                        "July",    "August",   "September", "October", "November", "December"};
  const Words activities = {"kayaking", "hiking",  "cycling",      "swimming",
                            "climbing", "skiing",  "sailing",      "running",
                            "surfing",  "fishing", "camping",      "rowing",
                            "skating",  "diving",  "birdwatching", "horse riding"};
  const Words pets = {"dog",      "cat",      "rabbit", "parrot", "hamster",
                      "tortoise", "goldfish", "ferret", "horse",  "canary"};
  const Words pet_names = {"Biscuit", "Luna",       "Pepper", "Milo",    "Mochi",   "Ziggy",
                           "Olive",   "Rocket",     "Pickle", "Waffles", "Juniper", "Nacho",
                           "Pretzel", "Clementine", "Bingo",  "Socks"};
  const Words colours = {"black",   "white", "ginger", "grey",
                         "spotted", "brown", "golden", "striped"};
  const Words items = {"bicycle",  "laptop", "guitar", "camera", "sofa",    "kettle",  "tent",
                       "backpack", "phone",  "coat",   "lamp",   "desk",    "blender", "drone",
                       "watch",    "kayak",  "piano",  "rug",    "printer", "scooter"};
  const Words shops = {"the flea market",      "a second-hand shop", "an online store",
                       "the department store", "a local craftsman",  "the outlet mall",
                       "a garage sale",        "the corner shop"};
  const Words skills = {"Japanese",   "pottery",     "salsa",       "the violin",
                        "chess",      "woodworking", "photography", "sign language",
                        "coding",     "knitting",    "calligraphy", "astronomy",
                        "Portuguese", "the cello",   "yoga",        "baking bread"};
  const Words teachers = {"private tutor", "local club", "night class",
                          "online course", "friend",     "community college"};
  const Words allergens = {"peanuts",    "shellfish",    "pollen",  "cats",
                           "penicillin", "gluten",       "lactose", "bee stings",
                           "dust",       "strawberries", "sesame",  "latex"};
  const Words bands = {"Radiohead",      "Fleetwood Mac",  "Daft Punk",  "ABBA",     "Queen",
                       "The Beatles",    "Arctic Monkeys", "Bjork",      "Coldplay", "Portishead",
                       "Massive Attack", "Nirvana",        "Pink Floyd", "Beyonce",  "Adele",
                       "Kraftwerk",      "Stromae",        "Rosalia",    "Muse",     "Blur"};
  const Words topics = {
      "dragons",         "a lighthouse keeper", "time travel", "a chess prodigy",   "the ocean",
      "a small village", "space pirates",       "a lost city", "a detective",       "the war",
      "a robot",         "an orchard",          "a circus",    "a mountain rescue", "an old violin",
      "a family secret"};
  const Words adjectives = {"thrilling", "slow",      "funny",   "sad",
                            "long",      "beautiful", "strange", "gripping"};
  const Words emotions = {"anxious", "proud",   "relieved", "exhausted",
                          "excited", "lonely",  "grateful", "frustrated",
                          "calm",    "nervous", "happy",    "overwhelmed"};
  const Words events = {
      "job interview", "exam",          "wedding", "first date",  "doctor appointment",
      "presentation",  "marathon",      "funeral", "move",        "performance review",
      "concert",       "family dinner", "surgery", "driving test"};
};

// A few hundred questions of the kinds users ask, paired with the memories they target.
inline std::vector<std::size_t> sample_indices(std::size_t population, std::size_t count,
                                               std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(rng() % population);
  return out;
}

}  // namespace companion::bench
