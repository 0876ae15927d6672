// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <memory>

#include <QHash>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QString>

#include "core/sandbox/prediction.h"
#include "core/sandbox/sandboxclock.h"

namespace brieflow::sandbox {

struct SandboxConfig;

/** Everything a validated create request decided; the engine adds ids, times and the plan. */
struct CreateSpec {
    const SandboxModel *model = nullptr;
    QString version;  ///< what the prediction's "version" will say
    QByteArray input; ///< compact JSON object
    QString inputKey; ///< SandboxStats::inputKey() of the request
    QString webhook;
    QStringList webhookEvents;
    bool streamRequested = false;
    qint64 cancelAfterMs = 0; ///< 0: no deadline
    QString deployment;
    bool syncMode = false;
    QString failWith; ///< scripted failure text (FaultKind::FailPrediction)
    bool expireImmediately = false;
};

/**
 * Owns the predictions and their status machine: starting → processing → succeeded / failed /
 * canceled, or aborted when a Cancel-After deadline passes first. Latencies are drawn from the
 * config with the seeded generator, outputs depend only on (input, seed), and everything
 * (steps, deadlines, data removal) runs on the SandboxClock. Signals fire after each update.
 */
class PredictionEngine final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PredictionEngine)

public:
    PredictionEngine(SandboxClock *clock, const SandboxConfig *config, QObject *parent = nullptr);
    ~PredictionEngine() override;

    const Prediction &create(const CreateSpec &spec);
    const Prediction *find(const QString &id) const;
    const Prediction *findByStreamToken(const QString &token) const;
    /** Cancels a running prediction; a finished one is left as it is. nullptr if unknown. */
    const Prediction *cancel(const QString &id);
    /** All predictions, oldest first (created_at strictly increasing). */
    const QList<const Prediction *> &all() const { return m_order; }
    const OutputFile *file(const QString &id, const QString &name) const;
    int runCount(const SandboxModel *model) const;

Q_SIGNALS:
    void started(const QString &id);
    /** New output: tokens for the language model, file names for the image model. */
    void outputAppended(const QString &id, const QStringList &items);
    void logsAppended(const QString &id, const QString &text);
    /** Reached a terminal status (succeeded, failed, canceled or aborted). */
    void completed(const QString &id);
    void dataRemoved(const QString &id);

private:
    Prediction *mutableFind(const QString &id);
    QString newId(int length, const char *alphabet);
    void plan(Prediction &p);
    void start(const QString &id);
    void step(const QString &id);
    void appendLogs(Prediction &p, const QString &text);
    void finish(Prediction &p, Status status, const QString &error = {});
    void onDeadline(const QString &id);
    void removeData(const QString &id);
    void renderImages(Prediction &p);

    SandboxClock *m_clock;
    const SandboxConfig *m_config;
    QRandomGenerator m_rng;
    std::map<QString, std::unique_ptr<Prediction>> m_predictions;
    QList<const Prediction *> m_order;
    QHash<QString, QString> m_streamTokens;
    QHash<QString, SandboxClock::TimerId> m_nextStep;
    QHash<QString, SandboxClock::TimerId> m_deadlines;
    QHash<const SandboxModel *, int> m_runCounts;
    qint64 m_lastCreatedNs = 0;
};

} // namespace brieflow::sandbox
