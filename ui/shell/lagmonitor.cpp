// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/lagmonitor.h"

#include <algorithm>
#include <cmath>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace brieflow::ui {

LagMonitor::LagMonitor(std::chrono::milliseconds interval, QObject *parent)
    : QObject(parent)
    , m_interval(interval)
    , m_timer(new QTimer(this))
    , m_buckets(static_cast<size_t>(bucketCount), 0)
{
    // A coarse timer may fire up to 5 % early or late by design; a precise one only when the
    // event loop is busy, which is what we measure.
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(m_interval);
    connect(m_timer, &QTimer::timeout, this, &LagMonitor::beat);
}

LagMonitor::~LagMonitor() = default;

void LagMonitor::start()
{
    if (m_timer->isActive())
        return;
    m_clock.start();
    if (!m_since.isValid())
        m_since.start();
    m_lastNs = 0;
    m_timer->start();
}

void LagMonitor::stop()
{
    m_timer->stop();
}

bool LagMonitor::isRunning() const
{
    return m_timer->isActive();
}

void LagMonitor::reset()
{
    std::fill(m_buckets.begin(), m_buckets.end(), 0);
    m_beats = 0;
    m_maxNs = 0;
    m_over16 = m_over50 = m_over100 = 0;
    m_since.start();
    if (m_clock.isValid()) {
        m_clock.start();
        m_lastNs = 0;
    }
}

void LagMonitor::beat()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 expected = std::chrono::nanoseconds(m_interval).count();
    record(std::max<qint64>(0, now - m_lastNs - expected));
    m_lastNs = now;
}

void LagMonitor::record(qint64 latenessNs)
{
    const qint64 bucket = std::min<qint64>(latenessNs / bucketNs, bucketCount - 1);
    ++m_buckets[static_cast<size_t>(bucket)];
    ++m_beats;
    m_maxNs = std::max(m_maxNs, latenessNs);
    if (latenessNs >= 16'000'000)
        ++m_over16;
    if (latenessNs >= 50'000'000)
        ++m_over50;
    if (latenessNs >= 100'000'000)
        ++m_over100;
}

double LagMonitor::percentileMs(double fraction) const
{
    if (m_beats == 0)
        return 0;
    const auto wanted = static_cast<qint64>(std::ceil(fraction * static_cast<double>(m_beats)));
    qint64 seen = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        seen += m_buckets[i];
        if (seen >= std::max<qint64>(wanted, 1)) {
            // The bucket's upper edge, but never more than the largest lateness seen.
            const double upper = static_cast<double>(static_cast<qint64>(i + 1) * bucketNs);
            return std::min(upper, static_cast<double>(m_maxNs)) / 1e6;
        }
    }
    return static_cast<double>(m_maxNs) / 1e6;
}

LagMonitor::Figures LagMonitor::figures() const
{
    Figures f;
    f.beats = m_beats;
    f.p50Ms = percentileMs(0.50);
    f.p90Ms = percentileMs(0.90);
    f.p99Ms = percentileMs(0.99);
    f.maxMs = static_cast<double>(m_maxNs) / 1e6;
    f.over16Ms = m_over16;
    f.over50Ms = m_over50;
    f.over100Ms = m_over100;
    f.elapsedMs = m_since.isValid() ? static_cast<double>(m_since.nsecsElapsed()) / 1e6 : 0;
    f.intervalMs = static_cast<int>(m_interval.count());
    return f;
}

std::array<qint64, LagMonitor::coarseEdgesMs.size() + 1> LagMonitor::coarseBuckets() const
{
    // Every edge is a whole number of fine buckets, so the coarse counts are exact.
    std::array<qint64, coarseEdgesMs.size() + 1> counts{};
    size_t coarse = 0;
    for (size_t i = 0; i < m_buckets.size(); ++i) {
        while (coarse < coarseEdgesMs.size()
               && static_cast<qint64>(i) * bucketNs >= coarseEdgesMs[coarse] * 1'000'000LL)
            ++coarse;
        counts[coarse] += m_buckets[i];
    }
    return counts;
}

QByteArray LagMonitor::toJson() const
{
    const Figures f = figures();
    const QJsonObject o{
        {QStringLiteral("beats"), f.beats},          {QStringLiteral("interval_ms"), f.intervalMs},
        {QStringLiteral("elapsed_ms"), f.elapsedMs}, {QStringLiteral("p50_ms"), f.p50Ms},
        {QStringLiteral("p90_ms"), f.p90Ms},         {QStringLiteral("p99_ms"), f.p99Ms},
        {QStringLiteral("max_ms"), f.maxMs},         {QStringLiteral("over_16ms"), f.over16Ms},
        {QStringLiteral("over_50ms"), f.over50Ms},   {QStringLiteral("over_100ms"), f.over100Ms},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace brieflow::ui
