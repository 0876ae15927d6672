// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxstats.h"

#include <nlohmann/json.hpp>

#include "core/util/canonicaljson.h"

namespace brieflow::sandbox {

namespace {

using Json = nlohmann::ordered_json;

template<typename Map>
Json mapJson(const Map &map)
{
    Json j = Json::object();
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if constexpr (std::is_same_v<typename Map::key_type, int>)
            j[std::to_string(it.key())] = it.value();
        else
            j[it.key().toStdString()] = it.value();
    }
    return j;
}

} // namespace

QString SandboxStats::inputKey(const QString &kind, const QString &value,
                               const QByteArray &inputJson)
{
    nlohmann::json doc = nlohmann::json::object();
    doc[kind.toStdString()] = value.toStdString();
    doc["input"] = nlohmann::json::parse(inputJson.toStdString(), nullptr, false);
    const QByteArray raw = QByteArray::fromStdString(doc.dump());
    return sha256Hex(canonicalJson(raw).value_or(raw));
}

void SandboxStats::countRequest(const QString &endpoint)
{
    ++m_stats.requestsPerEndpoint[endpoint];
}

void SandboxStats::countResponse(int status)
{
    ++m_stats.responsesPerStatus[status];
    if (status == 429)
        ++m_stats.throttled;
}

void SandboxStats::countCreate(const QString &inputKey)
{
    ++m_stats.predictionsCreated;
    ++m_stats.createsPerInput[inputKey];
}

void SandboxStats::requestStarted()
{
    ++m_stats.inFlight;
    m_stats.peakInFlight = std::max(m_stats.peakInFlight, m_stats.inFlight);
}

void SandboxStats::requestFinished()
{
    m_stats.inFlight = std::max(0, m_stats.inFlight - 1);
}

void SandboxStats::countFault(const QString &kind, const QString &detail)
{
    ++m_stats.faultsInjected[kind];
    if (!detail.isEmpty())
        ++m_stats.faultDetails[kind + QLatin1Char(' ') + detail];
}

void SandboxStats::countThrottled(const QString &bucket)
{
    ++m_stats.throttledPerBucket[bucket];
}

void SandboxStats::countArrivedBeforeRetryAfter(const QString &bucket, bool inGrace)
{
    ++(inGrace ? m_stats.inGracePerBucket : m_stats.earlyPerBucket)[bucket];
}

void SandboxStats::countEarlyOnConnection()
{
    ++m_stats.earlyOnConnection;
}

void SandboxStats::countWebhookMessage(const QString &event)
{
    ++m_stats.webhooksPerEvent[event];
}

void SandboxStats::countWebhookAttempt(bool ok)
{
    ++m_stats.webhookAttempts;
    if (ok)
        ++m_stats.webhookDelivered;
    else
        ++m_stats.webhookFailedAttempts;
}

void SandboxStats::countWebhookGaveUp()
{
    ++m_stats.webhookGaveUp;
}

void SandboxStats::countWebhookRefused()
{
    ++m_stats.webhookRefused;
}

void SandboxStats::reset()
{
    const int inFlight = m_stats.inFlight;
    m_stats = StatsSnapshot{};
    m_stats.inFlight = inFlight;
    m_stats.peakInFlight = inFlight;
}

QByteArray SandboxStats::toJson() const
{
    const StatsSnapshot &s = m_stats;
    const Json j{{"requests_per_endpoint", mapJson(s.requestsPerEndpoint)},
                 {"responses_per_status", mapJson(s.responsesPerStatus)},
                 {"predictions_created", s.predictionsCreated},
                 {"creates_per_input", mapJson(s.createsPerInput)},
                 {"in_flight", s.inFlight},
                 {"peak_in_flight", s.peakInFlight},
                 {"throttled", s.throttled},
                 {"faults_injected", mapJson(s.faultsInjected)},
                 {"fault_details", mapJson(s.faultDetails)},
                 {"retry_after_audit", Json{{"throttled_per_bucket", mapJson(s.throttledPerBucket)},
                                            {"early_per_bucket", mapJson(s.earlyPerBucket)},
                                            {"in_grace_per_bucket", mapJson(s.inGracePerBucket)},
                                            {"early_on_connection", s.earlyOnConnection}}},
                 {"webhooks", Json{{"attempts", s.webhookAttempts},
                                   {"delivered", s.webhookDelivered},
                                   {"failed_attempts", s.webhookFailedAttempts},
                                   {"gave_up", s.webhookGaveUp},
                                   {"refused", s.webhookRefused},
                                   {"per_event", mapJson(s.webhooksPerEvent)}}}};
    return QByteArray::fromStdString(j.dump());
}

} // namespace brieflow::sandbox
