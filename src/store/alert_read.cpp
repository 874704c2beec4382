// Alerts read back (`query alerts`, `status`, the dashboard) and the notification outbox.
#include <string>
#include <vector>

#include "meteo/core/text.hpp"
#include "meteo/store/alerts.hpp"
#include "sql_support.hpp"
#include "station_support.hpp"

namespace meteo {

using store::Binder;

namespace {

constexpr std::size_t kMaxMessageBytes = 4000;

AlertRow alert_row(const sql::ResultSet& row) {
  AlertRow alert;
  alert.id = row.getInt64(1);
  alert.kind = store::text(row, 2);
  alert.subject = store::text(row, 3);
  alert.scope_type = store::text(row, 4);
  alert.source = store::text(row, 5);
  alert.scope_id = store::text(row, 6);
  alert.level = store::text(row, 7);
  alert.level_rank = row.getInt(8);
  alert.start = parse_sql_datetime(store::text(row, 9));
  alert.end = store::optional_datetime(row, 10);
  alert.peak_value = static_cast<double>(row.getDouble(11));
  alert.peak_at = parse_sql_datetime(store::text(row, 12));
  alert.threshold = static_cast<double>(row.getDouble(13));
  alert.unit = store::text(row, 14);
  alert.rule_version = store::text(row, 15);
  alert.withdrawn_at = store::optional_datetime(row, 16);
  alert.triggers = static_cast<std::size_t>(row.getUInt64(17));
  return alert;
}

// Cut at a character boundary: the column is TEXT and the message any length.
std::string bounded_message(const std::string& message) {
  std::string text = valid_utf8(message);
  if (text.size() <= kMaxMessageBytes) return text;
  std::size_t cut = kMaxMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

}  // namespace

std::vector<AlertRow> query_alerts(Database& db, const AlertFilter& filter) {
  return store::guarded("reading the alerts", [&] {
    auto statement = store::prepare(
        db.connection(),
        "SELECT a.id, a.kind, a.subject, a.scope_type, a.source, a.scope_id, a.level,"
        " a.level_rank, CAST(a.start_at AS CHAR), CAST(a.end_at AS CHAR), a.peak_value,"
        " CAST(a.peak_at AS CHAR), a.threshold, a.unit, a.rule_version,"
        " CAST(CAST(a.withdrawn_at AS DATETIME) AS CHAR),"
        " (SELECT COUNT(*) FROM alert_triggers t WHERE t.alert_id = a.id)"
        " FROM alerts a WHERE (? OR a.withdrawn_at IS NULL)"
        " AND (? = 0 OR (a.end_at IS NULL AND a.withdrawn_at IS NULL))"
        " AND (? IS NULL OR a.end_at IS NULL OR a.end_at > ?) AND (? IS NULL OR a.start_at < ?)"
        " ORDER BY a.start_at DESC, a.id DESC LIMIT ?");
    Binder binder(*statement);
    binder.count(filter.include_withdrawn ? 1 : 0).count(filter.active_only ? 1 : 0);
    store::bind_optional_datetime(binder, filter.from);
    store::bind_optional_datetime(binder, filter.from);
    store::bind_optional_datetime(binder, filter.to);
    store::bind_optional_datetime(binder, filter.to);
    binder.count(filter.limit);
    auto row = store::run_query(*statement);
    std::vector<AlertRow> alerts;
    while (row->next()) alerts.push_back(alert_row(*row));
    return alerts;
  });
}

std::vector<PendingNotification> pending_notifications(Database& db, std::size_t limit) {
  return store::guarded("reading the pending alert notifications", [&] {
    auto statement = store::prepare(db.connection(),
                                    "SELECT id, alert_id, event, level, payload"
                                    " FROM alert_notifications WHERE status = 'pending'"
                                    " ORDER BY id LIMIT ?");
    Binder(*statement).count(limit);
    auto row = store::run_query(*statement);
    std::vector<PendingNotification> pending;
    while (row->next()) {
      pending.push_back({row->getInt64(1), row->getInt64(2), store::text(*row, 3),
                         store::text(*row, 4), store::text(*row, 5)});
    }
    return pending;
  });
}

bool claim_notification(Database& db, std::int64_t id) {
  return store::guarded("taking alert notification " + std::to_string(id), [&] {
    auto statement = store::prepare(db.connection(),
                                    "UPDATE alert_notifications SET status = 'sending',"
                                    " attempted_at = UTC_TIMESTAMP(3)"
                                    " WHERE id = ? AND status = 'pending'");
    Binder(*statement).int64(id);
    return statement->executeUpdate() == 1;
  });
}

void record_notification(Database& db, std::int64_t id, const NotificationOutcome& outcome) {
  store::guarded("recording alert notification " + std::to_string(id), [&] {
    auto statement = store::prepare(db.connection(),
                                    "UPDATE alert_notifications SET status = ?, exit_code = ?,"
                                    " message = ? WHERE id = ?");
    Binder binder(*statement);
    binder.text(outcome.sent ? "sent" : "failed");
    if (outcome.exit_code) {
      binder.int64(*outcome.exit_code);
    } else {
      binder.null_value();
    }
    binder.text(bounded_message(outcome.message)).int64(id);
    statement->executeUpdate();
  });
}

}  // namespace meteo
