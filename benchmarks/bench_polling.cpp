// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later

// bench_polling: reliability-performance.md §7 B2 in simulated time. Runs PollScheduler and a
// fixed 500 ms peer on the same seeded workload (model time uniform 5–60 s) at 1, 8, 32 and
// 100 active predictions and prints JSON. No network: completion-detection lag and request
// counts of the scheduling logic only; the end-to-end run against the sandbox comes later.
#include <cstdio>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include "core/replicate/pollsimulation.h"

using namespace brieflow;

namespace {

constexpr qsizetype TargetMaxGetPerSecond = 40;
constexpr double TargetLagP50SmallMs = 150;  // at <= 8 active
constexpr double TargetLagP95LargeMs = 2000; // at 100 active
constexpr double TargetGetRatio = 0.5;       // of the peer's GETs per prediction

QJsonObject figures(const PollSimulationResult &r)
{
    return QJsonObject{
        {QStringLiteral("predictions"), r.predictions},
        {QStringLiteral("noticed"), r.noticed},
        {QStringLiteral("gets"), r.gets},
        {QStringLiteral("get_per_s_max_1s_window"), r.maxGetsInAnySecond},
        {QStringLiteral("lag_p50_ms"), qRound(r.lagP50Ms)},
        {QStringLiteral("lag_p95_ms"), qRound(r.lagP95Ms)},
        {QStringLiteral("lag_max_ms"), qRound(r.lagMaxMs)},
        {QStringLiteral("gets_per_prediction"), qRound(r.getsPerPrediction * 10) / 10.0},
    };
}

PollSimulationConfig workload(int active, std::optional<double> expectationError)
{
    PollSimulationConfig config;
    config.active = active;
    config.seed = 20260101 + static_cast<quint64>(active);
    config.expectationError = expectationError;
    return config;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool compact = args.contains(QStringLiteral("--compact"));

    QJsonArray scenarios;
    bool allMet = true;
    for (const int active : {1, 8, 32, 100}) {
        PollSimulationConfig config = workload(active, 0.10);
        const PollSimulationResult ours = simulatePolling(config);
        const PollSimulationResult blind = simulatePolling(workload(active, std::nullopt));
        const PollSimulationResult rough = simulatePolling(workload(active, 0.25));
        config.fixedInterval = std::chrono::milliseconds(500);
        const PollSimulationResult peer = simulatePolling(config);

        const double ratio = ours.getsPerPrediction / peer.getsPerPrediction;
        QJsonObject targets{
            {QStringLiteral("get_per_s_max_le_40"),
             ours.maxGetsInAnySecond <= TargetMaxGetPerSecond},
            {QStringLiteral("all_completions_noticed"),
             ours.noticed == ours.predictions && ours.stalls == 0},
            {QStringLiteral("gets_per_prediction_le_half_peer"), ratio <= TargetGetRatio},
        };
        if (active <= 8)
            targets.insert(QStringLiteral("lag_p50_le_150ms"),
                           ours.lagP50Ms <= TargetLagP50SmallMs);
        if (active >= 100)
            targets.insert(QStringLiteral("lag_p95_le_2s"), ours.lagP95Ms <= TargetLagP95LargeMs);
        for (auto it = targets.begin(); it != targets.end(); ++it)
            allMet = allMet && it.value().toBool();

        scenarios.append(QJsonObject{
            {QStringLiteral("active"), active},
            {QStringLiteral("brieflow"), figures(ours)},
            {QStringLiteral("peer_fixed_500ms"), figures(peer)},
            {QStringLiteral("gets_ratio_vs_peer"), qRound(ratio * 1000) / 1000.0},
            {QStringLiteral("targets_met"), targets},
            {QStringLiteral("sensitivity"),
             QJsonObject{{QStringLiteral("expectation_error_25pct"), figures(rough)},
                         {QStringLiteral("no_expectation"), figures(blind)}}},
        });
    }

    const PollPolicy policy;
    const QJsonObject root{
        {QStringLiteral("benchmark"), QStringLiteral("B2 completion-detection lag under polling")},
        {QStringLiteral("mode"), QStringLiteral("simulated-time")},
        {QStringLiteral("note"),
         QStringLiteral("PollScheduler logic in simulated time with zero network latency; not an "
                        "end-to-end run against the sandbox")},
        {QStringLiteral("workload"),
         QJsonObject{
             {QStringLiteral("model_time_s"), QStringLiteral("uniform 5-60")},
             {QStringLiteral("run_for_s"), 600},
             {QStringLiteral("lanes"),
              QStringLiteral("each active slot runs predictions back to back; starts staggered "
                             "over 0-5 s")},
             {QStringLiteral("expected_duration"),
              QStringLiteral("true model time x (1 + u), u uniform in +-10% (sensitivity: +-25% "
                             "and none)")},
             {QStringLiteral("seed"), QStringLiteral("20260101 + active")},
         }},
        {QStringLiteral("budget"),
         QJsonObject{{QStringLiteral("per_second"), PollScheduler::DefaultPerSecond},
                     {QStringLiteral("burst"), PollScheduler::DefaultBurst}}},
        {QStringLiteral("policy"),
         QJsonObject{{QStringLiteral("min_interval_ms"), qint64(policy.minInterval.count())},
                     {QStringLiteral("max_interval_ms"), qint64(policy.maxInterval.count())},
                     {QStringLiteral("first_poll_ms"), qint64(policy.firstPoll.count())},
                     {QStringLiteral("finish_window"), policy.window}}},
        {QStringLiteral("scenarios"), scenarios},
        {QStringLiteral("all_targets_met"), allMet},
    };
    const QByteArray json =
        QJsonDocument(root).toJson(compact ? QJsonDocument::Compact : QJsonDocument::Indented);
    std::fwrite(json.constData(), 1, static_cast<size_t>(json.size()), stdout);
    return allMet ? 0 : 1;
}
