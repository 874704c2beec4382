// Server-Sent Events: the runs that committed, kept for clients that reconnect, and each
// streaming client's own bounded queue, so a slow client never holds up the others.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace meteo::serve {

// One event: its id (the largest run id it announces), its name ("run", "reset"), its data (one
// line of JSON).
struct ServerEvent {
  std::int64_t id = 0;
  std::string name;
  std::string data;
};

// The event as the stream carries it: "id: ..\nevent: ..\ndata: ..\n\n".
std::string format_event(const ServerEvent& event);

// The "refresh everything" event, for a client whose Last-Event-ID is unknown or too old.
ServerEvent reset_event(std::int64_t newest_id);

// The last `capacity` events in id order. `start_id` is the newest run when the server started:
// a client resuming from it is owed the events after it.
class EventBuffer {
 public:
  EventBuffer(std::size_t capacity, std::int64_t start_id);

  void push(ServerEvent event);  // ids must grow

  struct Resume {
    bool reset = false;               // the id is unknown or older than the buffer
    std::vector<ServerEvent> events;  // after the id, when not reset
  };
  Resume since(std::int64_t last_event_id) const;

  std::int64_t newest_id() const;

 private:
  std::size_t capacity_;
  std::int64_t floor_id_;  // the id just before the oldest event kept
  std::deque<ServerEvent> events_;
};

// What one streaming client has still to receive. Closed when the hub closes (stop) or drops it
// (it fell `queue_limit` events behind).
class Subscription {
 public:
  // The text to send next: events (formatted) as soon as one is queued, "" when `timeout` passed
  // without any (time for a heartbeat), none once closed.
  std::optional<std::string> next(std::chrono::milliseconds timeout);
  bool dropped() const;

 private:
  friend class EventHub;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  bool dropped_ = false;
};

// The buffer and the clients, shared by the ledger poller (publish) and the streams (subscribe).
class EventHub {
 public:
  EventHub(std::size_t buffer_capacity, std::size_t queue_limit, std::size_t max_clients,
           std::int64_t start_id);

  // A new client, its queue holding what it is owed since `last_event_id` (a reset event when
  // that id is unknown); none when `max_clients` are streaming already.
  std::shared_ptr<Subscription> subscribe(std::optional<std::int64_t> last_event_id);
  void unsubscribe(const std::shared_ptr<Subscription>& subscription);

  // Buffers the event and queues it for every client; a client already `queue_limit` behind is
  // dropped instead (it reconnects with its Last-Event-ID).
  void publish(ServerEvent event);

  // Closes every stream (the server stops); later subscriptions are refused.
  void close_all();

  std::size_t clients() const;
  std::int64_t newest_id() const;

 private:
  std::int64_t newest_id_locked() const;

  mutable std::mutex mutex_;
  EventBuffer buffer_;
  std::size_t queue_limit_, max_clients_;
  std::vector<std::shared_ptr<Subscription>> clients_;
  bool closed_ = false;
};

}  // namespace meteo::serve
