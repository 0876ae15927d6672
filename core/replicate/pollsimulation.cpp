// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replicate/pollsimulation.h"

#include <algorithm>
#include <cmath>

#include <QHash>
#include <QString>

namespace brieflow {

namespace {

using TimePoint = PollScheduler::TimePoint;
using Nanos = std::chrono::nanoseconds;
using Millis = std::chrono::milliseconds;

/** splitmix64: tiny, and the same numbers on every platform (std distributions are not). */
class Rng {
public:
    explicit Rng(quint64 seed)
        : m_state(seed)
    {}
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    quint64 m_state;
};

struct SimPrediction {
    QString id;
    TimePoint created;
    TimePoint finish;
    std::optional<Millis> expected;
    qint64 gets = 0;
    std::optional<TimePoint> noticed;
};

Millis scaled(Millis d, double factor)
{
    return Millis(static_cast<Millis::rep>(std::llround(static_cast<double>(d.count()) * factor)));
}

std::vector<SimPrediction> makeWorkload(const PollSimulationConfig &config)
{
    Rng rng(config.seed);
    const TimePoint base{};
    std::vector<SimPrediction> predictions;
    for (int lane = 0; lane < config.active; ++lane) {
        // Lanes start staggered over the first five seconds, then run back to back.
        TimePoint t = base + scaled(Millis(5000), rng.uniform());
        while (t - base < config.runFor) {
            const Millis span = config.maxModel - config.minModel;
            const Millis model = config.minModel + scaled(span, rng.uniform());
            SimPrediction p;
            p.created = t;
            p.finish = t + model;
            // Drawn even when unused, so runs with and without expectations share a workload.
            const double error = 2.0 * rng.uniform() - 1.0;
            if (config.expectationError)
                p.expected = scaled(model, 1.0 + error * *config.expectationError);
            predictions.push_back(p);
            t = p.finish;
        }
    }
    std::stable_sort(
        predictions.begin(), predictions.end(),
        [](const SimPrediction &a, const SimPrediction &b) { return a.created < b.created; });
    for (std::size_t i = 0; i < predictions.size(); ++i)
        predictions[i].id = QStringLiteral("p%1").arg(i, 6, 10, QLatin1Char('0'));
    return predictions;
}

void runScheduler(const PollSimulationConfig &config, std::vector<SimPrediction> &predictions,
                  std::vector<TimePoint> &getTimes, qsizetype &stalls)
{
    PollScheduler scheduler(config.policy);
    scheduler.setBudget(config.perSecond, config.burst);
    QHash<QString, std::size_t> index;
    for (std::size_t i = 0; i < predictions.size(); ++i)
        index.insert(predictions[i].id, i);

    std::size_t next = 0;
    TimePoint t = predictions.empty() ? TimePoint{} : predictions.front().created;
    for (;;) {
        for (; next < predictions.size() && predictions[next].created <= t; ++next) {
            const SimPrediction &p = predictions[next];
            scheduler.add(p.id, p.created, p.expected);
        }
        while (const auto id = scheduler.takeDue(t)) {
            SimPrediction &p = predictions[index.value(*id)];
            getTimes.push_back(t);
            ++p.gets;
            if (p.finish <= t) {
                p.noticed = t;
                scheduler.remove(p.id);
            } else {
                scheduler.markPolled(p.id, t);
            }
        }
        TimePoint wake = TimePoint::max();
        if (const auto w = scheduler.nextWakeUp(t))
            wake = *w;
        if (next < predictions.size())
            wake = std::min(wake, predictions[next].created);
        if (wake == TimePoint::max())
            break;
        if (wake <= t) {
            ++stalls; // nextWakeUp() said "now" but takeDue() yielded nothing
            wake = t + Millis(1);
        }
        t = wake;
    }
}

void runFixed(Nanos interval, std::vector<SimPrediction> &predictions,
              std::vector<TimePoint> &getTimes)
{
    for (SimPrediction &p : predictions) {
        const Nanos runtime = p.finish - p.created;
        const auto polls = (runtime.count() + interval.count() - 1) / interval.count();
        for (Nanos::rep k = 1; k <= polls; ++k)
            getTimes.push_back(p.created + k * interval);
        p.gets = polls;
        p.noticed = p.created + polls * interval;
    }
}

} // namespace

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto n = static_cast<double>(values.size());
    const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p / 100.0 * n)));
    return values[std::min(rank, values.size()) - 1];
}

qsizetype maxInAnyWindow(std::vector<TimePoint> times, Nanos window)
{
    std::sort(times.begin(), times.end());
    qsizetype best = 0;
    std::size_t j = 0;
    for (std::size_t i = 0; i < times.size(); ++i) {
        j = std::max(j, i);
        while (j < times.size() && times[j] < times[i] + window)
            ++j;
        best = std::max(best, static_cast<qsizetype>(j - i));
    }
    return best;
}

PollSimulationResult simulatePolling(const PollSimulationConfig &config)
{
    std::vector<SimPrediction> predictions = makeWorkload(config);
    std::vector<TimePoint> getTimes;
    PollSimulationResult result;
    if (config.fixedInterval)
        runFixed(*config.fixedInterval, predictions, getTimes);
    else
        runScheduler(config, predictions, getTimes, result.stalls);

    result.predictions = static_cast<qsizetype>(predictions.size());
    TimePoint end{};
    for (const SimPrediction &p : predictions) {
        result.gets += p.gets;
        if (!p.noticed)
            continue;
        ++result.noticed;
        end = std::max(end, *p.noticed);
        result.lagsMs.push_back(
            std::chrono::duration<double, std::milli>(*p.noticed - p.finish).count());
    }
    if (result.predictions > 0)
        result.getsPerPrediction =
            static_cast<double>(result.gets) / static_cast<double>(result.predictions);
    result.maxGetsInAnySecond = maxInAnyWindow(getTimes, std::chrono::seconds(1));
    result.lagP50Ms = percentile(result.lagsMs, 50);
    result.lagP95Ms = percentile(result.lagsMs, 95);
    result.lagMaxMs = percentile(result.lagsMs, 100);
    double sum = 0;
    for (const double lag : result.lagsMs)
        sum += lag;
    result.lagMeanMs = result.lagsMs.empty() ? 0 : sum / static_cast<double>(result.lagsMs.size());
    result.simulatedSeconds = std::chrono::duration<double>(end - TimePoint{}).count();
    return result;
}

} // namespace brieflow
