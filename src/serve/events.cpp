#include "meteo/serve/events.hpp"

#include <algorithm>

namespace meteo::serve {

std::string format_event(const ServerEvent& event) {
  return "id: " + std::to_string(event.id) + "\nevent: " + event.name + "\ndata: " + event.data +
         "\n\n";
}

ServerEvent reset_event(std::int64_t newest_id) {
  return {newest_id, "reset", "{}"};
}

EventBuffer::EventBuffer(std::size_t capacity, std::int64_t start_id)
    : capacity_(std::max<std::size_t>(capacity, 1)), floor_id_(start_id) {}

void EventBuffer::push(ServerEvent event) {
  events_.push_back(std::move(event));
  if (events_.size() > capacity_) {
    floor_id_ = events_.front().id;
    events_.pop_front();
  }
}

EventBuffer::Resume EventBuffer::since(std::int64_t last_event_id) const {
  Resume resume;
  // Ids are run ids, not consecutive: only an id this buffer gave out (or its floor) is known.
  const bool known = last_event_id == floor_id_ ||
                     std::any_of(events_.begin(), events_.end(), [&](const ServerEvent& event) {
                       return event.id == last_event_id;
                     });
  if (!known) {
    resume.reset = true;
    return resume;
  }
  for (const ServerEvent& event : events_) {
    if (event.id > last_event_id) resume.events.push_back(event);
  }
  return resume;
}

std::int64_t EventBuffer::newest_id() const {
  return events_.empty() ? floor_id_ : events_.back().id;
}

std::optional<std::string> Subscription::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return closed_ || !queue_.empty(); });
  if (closed_) return std::nullopt;
  std::string text;
  while (!queue_.empty()) {
    text += queue_.front();
    queue_.pop_front();
  }
  return text;
}

bool Subscription::dropped() const {
  const std::lock_guard lock(mutex_);
  return dropped_;
}

EventHub::EventHub(std::size_t buffer_capacity, std::size_t queue_limit, std::size_t max_clients,
                   std::int64_t start_id)
    : buffer_(buffer_capacity, start_id), queue_limit_(queue_limit), max_clients_(max_clients) {}

std::shared_ptr<Subscription> EventHub::subscribe(std::optional<std::int64_t> last_event_id) {
  const std::lock_guard lock(mutex_);
  if (closed_ || clients_.size() >= max_clients_) return nullptr;
  auto subscription = std::make_shared<Subscription>();
  if (last_event_id) {
    const EventBuffer::Resume resume = buffer_.since(*last_event_id);
    if (resume.reset) subscription->queue_.push_back(format_event(reset_event(newest_id_locked())));
    for (const ServerEvent& event : resume.events) {
      subscription->queue_.push_back(format_event(event));
    }
  }
  clients_.push_back(subscription);
  return subscription;
}

void EventHub::unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  const std::lock_guard lock(mutex_);
  std::erase(clients_, subscription);
}

void EventHub::publish(ServerEvent event) {
  const std::string text = format_event(event);
  const std::lock_guard lock(mutex_);
  buffer_.push(std::move(event));
  std::vector<std::shared_ptr<Subscription>> kept;
  for (const auto& client : clients_) {
    const std::lock_guard client_lock(client->mutex_);
    if (client->queue_.size() >= queue_limit_) {
      client->dropped_ = client->closed_ = true;  // it reconnects with its Last-Event-ID
    } else {
      client->queue_.push_back(text);
      kept.push_back(client);
    }
    client->ready_.notify_all();
  }
  clients_ = std::move(kept);
}

void EventHub::close_all() {
  const std::lock_guard lock(mutex_);
  closed_ = true;
  for (const auto& client : clients_) {
    const std::lock_guard client_lock(client->mutex_);
    client->closed_ = true;
    client->ready_.notify_all();
  }
  clients_.clear();
}

std::size_t EventHub::clients() const {
  const std::lock_guard lock(mutex_);
  return clients_.size();
}

std::int64_t EventHub::newest_id() const {
  const std::lock_guard lock(mutex_);
  return newest_id_locked();
}

std::int64_t EventHub::newest_id_locked() const {
  return buffer_.newest_id();
}

}  // namespace meteo::serve
