// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Helper process for tst_storecrash: writes to the store until it is killed.
//
// Usage: store_crash_child <database file> <run number> <seed>
// Each iteration is one transaction: BEGIN IMMEDIATE, then jobsPerIteration jobs (each with its
// steps, its "created" event and one more event), a short pause, COMMIT. It prints
//   "ready"                 once the store is open,
//   "begin <iteration>"     right after BEGIN, while the transaction is open,
//   "committed <iteration>" after COMMIT returned,
// flushing after every line, so the parent knows what must be in the file after a SIGKILL.
#include <cstdio>

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QStringList>
#include <QThread>

#include "core/store/jobstore.h"

using namespace brieflow;

namespace {

constexpr int jobsPerIteration = 3;

void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

int failWith(const StoreError &error)
{
    std::fputs(qPrintable(error.logText() + QLatin1Char('\n')), stderr);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        std::fputs("usage: store_crash_child <database file> <run> <seed>\n", stderr);
        return 1;
    }
    const QString &file = args.at(1);
    const int run = args.at(2).toInt();
    QRandomGenerator random(args.at(3).toUInt());

    auto opened = JobStore::open(file, JobStore::Mode::Writer);
    if (!opened)
        return failWith(opened.error());
    JobStore &store = *opened.value();
    say(QStringLiteral("ready"));

    for (int iteration = 0;; ++iteration) {
        auto batch = store.beginBatch();
        if (!batch)
            return failWith(batch.error());
        say(QStringLiteral("begin %1").arg(iteration));
        for (int k = 0; k < jobsPerIteration; ++k) {
            const QByteArray payload =
                QStringLiteral("{\"run\":%1,\"iter\":%2,\"k\":%3,\"pad\":\"%4\"}")
                    .arg(run)
                    .arg(iteration)
                    .arg(k)
                    .arg(QString(200, u'ß'))
                    .toUtf8();
            const auto job = store.createJob(
                {QStringLiteral("crash-%1-%2").arg(run).arg(iteration),
                 payload,
                 {QStringLiteral("concept"), QStringLiteral("prompt"), QStringLiteral("image")}});
            if (!job)
                return failWith(job.error());
            const auto steps = store.steps(job->id);
            if (!steps)
                return failWith(steps.error());
            const auto logged =
                store.appendEvent(job->id, steps->first().id, QStringLiteral("tick"),
                                  QStringLiteral("iteration %1").arg(iteration));
            if (!logged)
                return failWith(logged.error());
        }
        // Work a little inside the open transaction, so that kills aimed at it land there.
        QThread::usleep(2000 + random.bounded(6000));
        const auto committed = batch->commit();
        if (!committed)
            return failWith(committed.error());
        say(QStringLiteral("committed %1").arg(iteration));
    }
}
