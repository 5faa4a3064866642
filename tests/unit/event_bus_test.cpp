// The event bus as its subscribers see it: scoping by user and session, global
// broadcast, filters, unsubscribe, bounded history, replay and counters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/events/in_process_event_bus.hpp"
#include "core/events/session_feed.hpp"
#include "core/sessions/in_memory_session_repository.hpp"
#include "core/sessions/session_id.hpp"
#include "core/sessions/session_registry.hpp"

using namespace companion::core;

namespace {

// Collects what a subscriber receives.
struct Inbox {
  std::vector<Event> events;
  EventHandler handler() {
    return [this](const Event& e) { events.push_back(e); };
  }
  std::vector<EventType> types() const {
    std::vector<EventType> out;
    for (const auto& e : events) out.push_back(e.type);
    return out;
  }
};

NewEvent session_event(EventType type, std::string user, std::string session) {
  return NewEvent{type, std::move(user), std::move(session), {{"n", 1}}};
}

NewEvent global_event(EventType type) {
  return NewEvent{type, "", "", {{"status", "ready"}}};
}

}  // namespace

TEST(EventBus, PublishStampsIdTimestampAndPayload) {
  InProcessEventBus bus;
  Event e = bus.publish(NewEvent{EventType::MusicPlay, "alice", "s1", {{"song_name", "So What"}}});
  EXPECT_EQ(e.id.rfind("evt_", 0), 0u);
  EXPECT_EQ(e.id.size(), 4u + 16u);
  EXPECT_EQ(e.type, EventType::MusicPlay);
  EXPECT_EQ(e.user_id, "alice");
  EXPECT_EQ(e.session_id, "s1");
  EXPECT_EQ(e.data.at("song_name").as_string(), "So What");
  EXPECT_NE(e.timestamp.time_since_epoch().count(), 0);
  EXPECT_NE(bus.publish(global_event(EventType::StatusUpdate)).id, e.id);
}

TEST(EventBus, SessionEventsReachOnlyThatSessionAndItsUser) {
  InProcessEventBus bus;
  Inbox s1, s2, alice_all, bob;
  auto a = bus.subscribe({"alice", "s1", {}, true}, s1.handler());
  auto b = bus.subscribe({"alice", "s2", {}, true}, s2.handler());
  auto c = bus.subscribe({"alice", "", {}, true}, alice_all.handler());
  auto d = bus.subscribe({"bob", "", {}, true}, bob.handler());

  bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));

  EXPECT_EQ(s1.events.size(), 1u);
  EXPECT_TRUE(s2.events.empty());
  EXPECT_EQ(alice_all.events.size(), 1u);
  EXPECT_TRUE(bob.events.empty());
}

TEST(EventBus, SameSessionIdOfAnotherUserDoesNotLeak) {
  InProcessEventBus bus;
  Inbox mallory;
  auto sub = bus.subscribe({"mallory", "shared", {}, true}, mallory.handler());
  bus.publish(session_event(EventType::MemoryStored, "alice", "shared"));
  EXPECT_TRUE(mallory.events.empty());
}

TEST(EventBus, UserWideEventsReachEverySessionOfThatUser) {
  InProcessEventBus bus;
  Inbox s1, s2, bob;
  auto a = bus.subscribe({"alice", "s1", {}, true}, s1.handler());
  auto b = bus.subscribe({"alice", "s2", {}, true}, s2.handler());
  auto c = bus.subscribe({"bob", "s3", {}, true}, bob.handler());
  bus.publish(session_event(EventType::MemoryStored, "alice", ""));
  EXPECT_EQ(s1.events.size(), 1u);
  EXPECT_EQ(s2.events.size(), 1u);
  EXPECT_TRUE(bob.events.empty());
}

TEST(EventBus, GlobalEventsReachEveryoneWhoWantsThem) {
  InProcessEventBus bus;
  Inbox alice, bob, anonymous, no_globals;
  auto a = bus.subscribe({"alice", "s1", {}, true}, alice.handler());
  auto b = bus.subscribe({"bob", "", {}, true}, bob.handler());
  auto c = bus.subscribe({"", "", {}, true}, anonymous.handler());
  auto d = bus.subscribe({"alice", "s1", {}, false}, no_globals.handler());

  Event e = bus.publish(global_event(EventType::StatusUpdate));

  EXPECT_TRUE(e.is_global());
  EXPECT_EQ(alice.events.size(), 1u);
  EXPECT_EQ(bob.events.size(), 1u);
  EXPECT_EQ(anonymous.events.size(), 1u);
  EXPECT_TRUE(no_globals.events.empty());
}

TEST(EventBus, SubscriberWithoutUserSeesNoUserEvents) {
  InProcessEventBus bus;
  Inbox anonymous;
  auto sub = bus.subscribe({"", "", {}, true}, anonymous.handler());
  bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  EXPECT_TRUE(anonymous.events.empty());
}

TEST(EventBus, TypeFilterLetsOnlyChosenTypesThrough) {
  InProcessEventBus bus;
  Inbox music;
  auto sub = bus.subscribe({"alice", "s1", {EventType::MusicPlay, EventType::MusicStop}, true},
                           music.handler());
  bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  bus.publish(global_event(EventType::StatusUpdate));
  bus.publish(session_event(EventType::MusicStop, "alice", "s1"));
  EXPECT_EQ(music.types(), (std::vector<EventType>{EventType::MusicPlay, EventType::MusicStop}));
}

TEST(EventBus, DestroyingTheSubscriptionUnsubscribes) {
  InProcessEventBus bus;
  Inbox inbox;
  {
    auto sub = bus.subscribe({"alice", "", {}, true}, inbox.handler());
    EXPECT_EQ(bus.subscriber_count(), 1u);
    bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  }
  EXPECT_EQ(bus.subscriber_count(), 0u);
  bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  EXPECT_EQ(inbox.events.size(), 1u);
}

TEST(EventBus, HandlerMayCancelItsOwnSubscription) {
  InProcessEventBus bus;
  int calls = 0;
  Subscription sub;
  sub = bus.subscribe({"alice", "", {}, true}, [&](const Event&) {
    ++calls;
    sub.cancel();
  });
  bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  EXPECT_EQ(calls, 1);
}

TEST(EventBus, SubscriptionOutlivingTheBusIsHarmless) {
  Subscription sub;
  {
    InProcessEventBus bus;
    sub = bus.subscribe({"alice", "", {}, true}, [](const Event&) {});
  }
  sub.cancel();
  EXPECT_FALSE(sub.active());
}

TEST(EventBus, ThrowingSubscriberDoesNotStopOthers) {
  InProcessEventBus bus;
  Inbox good;
  auto bad = bus.subscribe({"alice", "", {}, true},
                           [](const Event&) { throw std::runtime_error("boom"); });
  auto ok = bus.subscribe({"alice", "", {}, true}, good.handler());
  EXPECT_NO_THROW(bus.publish(session_event(EventType::MusicPlay, "alice", "s1")));
  EXPECT_EQ(good.events.size(), 1u);
}

TEST(EventBus, HistoryKeepsOnlyTheNewestEventsPerSession) {
  InProcessEventBus bus(EventHistoryLimits{3, 100, 1000});
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(bus.publish(session_event(EventType::MessageReceived, "alice", "s1")).id);
  }
  auto kept = bus.events_since("s1", "");
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].id, ids[2]);
  EXPECT_EQ(kept[2].id, ids[4]);
}

TEST(EventBus, HistoryForgetsTheLeastRecentlyActiveSessionBeyondItsBound) {
  InProcessEventBus bus(EventHistoryLimits{10, 2, 1000});
  bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  bus.publish(session_event(EventType::MessageReceived, "alice", "s2"));
  bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  bus.publish(session_event(EventType::MessageReceived, "alice", "s3"));
  EXPECT_EQ(bus.events_since("s1", "").size(), 2u);
  EXPECT_TRUE(bus.events_since("s2", "").empty());
  EXPECT_EQ(bus.events_since("s3", "").size(), 1u);
}

TEST(EventBus, EventsSinceReturnsOnlyWhatCameAfter) {
  InProcessEventBus bus;
  Event first = bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  Event other = bus.publish(session_event(EventType::MusicPlay, "alice", "s2"));
  Event global = bus.publish(global_event(EventType::StatusUpdate));
  Event second = bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  Event third = bus.publish(session_event(EventType::MusicStop, "alice", "s1"));

  auto after_first = bus.events_since("s1", first.id);
  ASSERT_EQ(after_first.size(), 2u);
  EXPECT_EQ(after_first[0].id, second.id);
  EXPECT_EQ(after_first[1].id, third.id);
  // An id of another session or a global event still marks a point in time.
  EXPECT_EQ(bus.events_since("s1", other.id).size(), 2u);
  EXPECT_EQ(bus.events_since("s1", global.id).size(), 2u);
  EXPECT_TRUE(bus.events_since("s1", third.id).empty());
  // Unknown ids replay everything retained; global events are not kept per session.
  EXPECT_EQ(bus.events_since("s1", "evt_unknown").size(), 3u);
  EXPECT_TRUE(bus.events_since("nobody", "").empty());
}

TEST(EventBus, ForgetSessionDropsItsHistory) {
  InProcessEventBus bus;
  bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  bus.forget_session("s1");
  EXPECT_TRUE(bus.events_since("s1", "").empty());
}

TEST(EventBus, CountersCountEveryEventByType) {
  InProcessEventBus bus;
  bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  bus.publish(session_event(EventType::MessageReceived, "bob", "s2"));
  bus.publish(global_event(EventType::StatusUpdate));
  EventCounters counters = bus.counters();
  EXPECT_EQ(counters.total, 3u);
  EXPECT_EQ(counters.by_type[EventType::MessageReceived], 2u);
  EXPECT_EQ(counters.by_type[EventType::StatusUpdate], 1u);
  EXPECT_FALSE(counters.by_type.contains(EventType::MusicPlay));
}

TEST(EventTypes, NamesRoundTripInBothSpellings) {
  for (EventType type : all_event_types) {
    EXPECT_EQ(parse_event_type(event_type_name(type)), type);
  }
  EXPECT_EQ(parse_event_type("music_play"), EventType::MusicPlay);
  EXPECT_FALSE(parse_event_type("MUSIC_DANCE").has_value());
  EXPECT_FALSE(parse_event_type("").has_value());
}

TEST(SessionFeed, ReplaysMissedEventsThenGoesLiveWithoutDuplicates) {
  InProcessEventBus bus;
  Event seen = bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  Event missed1 = bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  bus.publish(session_event(EventType::MusicPlay, "alice", "s2"));
  Event missed2 = bus.publish(session_event(EventType::MusicStop, "alice", "s1"));
  Inbox inbox;
  SessionFeed feed(bus, {"alice", "s1", {}, true}, seen.id, inbox.handler());
  Event live = bus.publish(session_event(EventType::MusicNext, "alice", "s1"));

  ASSERT_EQ(inbox.events.size(), 3u);
  EXPECT_EQ(inbox.events[0].id, missed1.id);
  EXPECT_EQ(inbox.events[1].id, missed2.id);
  EXPECT_EQ(inbox.events[2].id, live.id);
  EXPECT_EQ(feed.replayed(), 2u);
  EXPECT_EQ(feed.cursor(), live.id);
}

TEST(SessionFeed, WithoutReplayStartsAtTheNewestEventAndTracksTheCursor) {
  InProcessEventBus bus;
  Event before = bus.publish(session_event(EventType::MessageReceived, "alice", "s1"));
  Inbox inbox;
  SessionFeed feed(bus, {"alice", "s1", {}, true}, std::nullopt, inbox.handler());
  EXPECT_TRUE(inbox.events.empty());
  EXPECT_EQ(feed.cursor(), before.id);
  bus.publish(global_event(EventType::StatusUpdate));  // not of the session: cursor stays
  EXPECT_EQ(feed.cursor(), before.id);
  EXPECT_EQ(inbox.events.size(), 1u);
  feed.close();
  bus.publish(session_event(EventType::MusicPlay, "alice", "s1"));
  EXPECT_EQ(inbox.events.size(), 1u);
  EXPECT_EQ(feed.cursor(), before.id);
}

TEST(SessionIds, GeneratedIdsFollowTheDocumentedFormat) {
  using namespace std::chrono;
  sys_days day = year{2025} / January / 16;
  std::string id = generate_session_id("user1", system_clock::time_point(day) + hours(10));
  ASSERT_EQ(id.size(), std::string("user1_20250116_").size() + 8);
  EXPECT_EQ(id.rfind("user1_20250116_", 0), 0u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 15), std::string::npos);
  EXPECT_TRUE(is_valid_session_id(id));
  EXPECT_FALSE(is_valid_session_id(""));
  EXPECT_FALSE(is_valid_session_id("../etc/passwd"));
  EXPECT_FALSE(is_valid_user_id("a b"));
}

TEST(SessionRegistry, ClaimsCreateJoinAndRefuseOtherUsers) {
  SessionRegistry registry(std::make_shared<InMemorySessionRepository>());
  SessionClaim created = registry.claim("alice", "", "web");
  EXPECT_EQ(created.outcome, ClaimOutcome::Created);
  EXPECT_EQ(created.session.id.rfind("alice_", 0), 0u);

  SessionClaim joined = registry.claim("alice", created.session.id, "mobile");
  EXPECT_EQ(joined.outcome, ClaimOutcome::Joined);
  EXPECT_EQ(joined.session.client_type, "web");
  EXPECT_EQ(registry.claim("bob", created.session.id, "web").outcome,
            ClaimOutcome::OwnedByAnotherUser);
  EXPECT_EQ(registry.claim("bob", "bad id!", "web").outcome, ClaimOutcome::InvalidId);
  EXPECT_EQ(registry.claim("bob", "bob_own", "cli").outcome, ClaimOutcome::Created);

  EXPECT_EQ(registry.list("alice").size(), 1u);
  EXPECT_EQ(registry.list(std::nullopt).size(), 2u);
}

TEST(SessionRegistry, SocketsAreCountedAndLeaveAResumePoint) {
  SessionRegistry registry(std::make_shared<InMemorySessionRepository>());
  std::string id = registry.claim("alice", "", "web").session.id;
  auto first = registry.attach_socket(id, [] {});
  auto second = registry.attach_socket(id, [] {});
  EXPECT_EQ(registry.find(id)->open_sockets, 2);
  EXPECT_EQ(registry.open_sockets(), 2u);
  registry.detach_socket(id, first, ResumePoint{"evt_1", {EventType::MusicPlay}});
  EXPECT_EQ(registry.find(id)->open_sockets, 1);
  SessionClaim again = registry.claim("alice", id, "web");
  ASSERT_TRUE(again.resume.has_value());
  EXPECT_EQ(again.resume->last_event_id, "evt_1");
  EXPECT_TRUE(again.resume->subscribed.contains(EventType::MusicPlay));
  registry.detach_socket(id, second, {});
  EXPECT_EQ(registry.open_sockets(), 0u);
}

TEST(SessionRegistry, CloseRemovesTheSessionAndClosesItsSockets) {
  SessionRegistry registry(std::make_shared<InMemorySessionRepository>());
  std::string id = registry.claim("alice", "", "web").session.id;
  int closed = 0;
  registry.attach_socket(id, [&] { ++closed; });
  EXPECT_TRUE(registry.close(id));
  EXPECT_EQ(closed, 1);
  EXPECT_FALSE(registry.find(id).has_value());
  EXPECT_FALSE(registry.close(id));
  EXPECT_EQ(registry.attach_socket(id, [] {}), 0u);
}
