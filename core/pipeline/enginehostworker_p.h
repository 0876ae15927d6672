// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QLockFile>
#include <QLoggingCategory>
#include <QObject>

#include "core/outputs/outputdownloader.h"
#include "core/outputs/outputstorage.h"
#include "core/pipeline/enginehost.h"
#include "core/pipeline/pipelineengine.h"
#include "core/replicate/replicateclient.h"
#include "core/store/jobstore.h"
#include "core/provider/providerclock.h"
#include "core/util/clock.h"
#include "core/webhooks/webhookservice.h"
#include "core/workflow/workflow.h"

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace brieflow {

namespace {

inline QString workflowErrorText(const WorkflowErrors &errors)
{
    QStringList lines;
    for (const WorkflowError &e : errors)
        lines << (e.path.isEmpty() ? e.message : e.path + QStringLiteral(": ") + e.message);
    return lines.join(QStringLiteral("; "));
}

} // namespace

/** Everything of the engine that lives on its thread, created and destroyed there. */
class EngineHost::Worker final : public QObject {
    Q_OBJECT

public:
    explicit Worker(Config config)
        : m_config(std::move(config))
    {}

    ~Worker() override { shutdown(); }

    PipelineEngine *engine() const { return m_engine.get(); }

    void init()
    {
        // One engine per queue, across processes: two would run the same jobs and pay twice.
        // QLockFile notices a lock left by a process that died (its pid is gone).
        m_lock =
            std::make_unique<QLockFile>(m_config.databaseFile + QStringLiteral(".engine.lock"));
        m_lock->setStaleLockTime(0);
        if (!m_lock->tryLock(0)) {
            qint64 pid = 0;
            QString host;
            QString app;
            m_lock->getLockInfo(&pid, &host, &app);
            m_lock.reset();
            const QString message =
                tr("Another Brieflow process (%1, pid %2) is already running this queue; it will "
                   "run the jobs. Close it first to run them here.")
                    .arg(app.isEmpty() ? tr("unknown") : app)
                    .arg(pid);
            Q_EMIT queueBusy(message);
            Q_EMIT started(false, message);
            return;
        }
        auto store = JobStore::open(m_config.databaseFile, JobStore::Mode::Writer);
        if (!store) {
            Q_EMIT started(false, store.error().message);
            return;
        }
        m_store = std::move(store).value();
        if (const QStringList missing = missingImageFormats(); !missing.isEmpty()) {
            Q_EMIT started(false, missingImageFormatsMessage(missing));
            return;
        }
        auto workflow = m_config.options.workflowFile.isEmpty()
                            ? builtinWorkflow(m_config.options.workflowId)
                            : loadWorkflowFile(m_config.options.workflowFile);
        if (!workflow) {
            Q_EMIT started(
                false,
                tr("The workflow can't be used: %1").arg(workflowErrorText(workflow.error())));
            return;
        }
        m_storage = std::make_unique<OutputStorage>(m_config.outputsDir);
        // We hold the queue's engine lock, so no other process is downloading into this folder:
        // every partial file is a leftover of a worker that died.
        m_storage->removeStaleTemporaries();
        replicate::ReplicateClient::Options client;
        client.baseUrl = m_config.apiBaseUrl;
        client.token = m_config.token;
        m_client = std::make_unique<replicate::ReplicateClient>(client);
        if (!startWebhooks() && m_config.webhooksRequired) {
            Q_EMIT started(false, tr("Webhooks could not start: %1").arg(m_webhookError));
            return;
        }
        m_downloader =
            std::make_unique<OutputDownloader>(*m_storage, m_config.options.outputPolicy);
        m_engine = std::make_unique<PipelineEngine>(*m_store, *m_client, *m_downloader,
                                                    std::move(workflow).value(), m_config.options,
                                                    SteadyClock::instance());
        connect(m_engine.get(), &PipelineEngine::jobsChanged, this, &Worker::jobsChanged);
        connect(m_engine.get(), &PipelineEngine::jobSettled, this, &Worker::jobSettled);
        connect(m_engine.get(), &PipelineEngine::stepTextUpdated, this, &Worker::stepTextUpdated);
        connect(m_engine.get(), &PipelineEngine::attentionChanged, this, &Worker::attentionChanged);
        connect(m_engine.get(), &PipelineEngine::idle, this, &Worker::idle);
        connect(m_engine.get(), &PipelineEngine::rateLimited, this, &Worker::rateLimited);
        connect(m_engine.get(), &PipelineEngine::incident, this, &Worker::incident);
        if (m_webhooks)
            m_webhooks->attach(&m_engine->follower());
        m_engine->start();
        Q_EMIT started(true, QString());
    }

    /** The receiver first, so that creates can carry its URL; a failure leaves polling alone
     *  (false, m_webhookError says why). */
    bool startWebhooks()
    {
        if (!m_config.webhooksEnabled)
            return true;
        m_webhooks = std::make_unique<WebhookService>(*m_client, m_config.webhooks,
                                                      *SystemClock::instance());
        connect(m_webhooks.get(), &WebhookService::secretUnavailable, this,
                [this](const QString &message) { Q_EMIT webhooksProblem(message); });
        // Every delivery into the job database for the Monitoring view, on this thread (the
        // store's writer); a failed write is logged and changes nothing else.
        connect(m_webhooks.get(), &WebhookService::deliveryHandled, this,
                [this](const WebhookDeliveryReport &report) { recordDelivery(report); });
        if (auto ok = m_webhooks->start(); !ok) {
            m_webhooks.reset();
            m_config.options.webhookUrl = QUrl();
            m_webhookError = ok.error();
            Q_EMIT webhooksStarted(false, QUrl(), QUrl(), ok.error());
            return false;
        }
        m_config.options.webhookUrl = m_webhooks->publicUrl();
        Q_EMIT webhooksStarted(true, m_webhooks->publicUrl(), m_webhooks->localUrl(), QString());
        return true;
    }

    void recordDelivery(const WebhookDeliveryReport &report)
    {
        if (!m_store)
            return;
        WebhookDeliveryRecord record;
        record.receivedAt = report.receivedAt;
        record.outcome = report.outcome;
        record.reason = report.reason;
        record.predictionId = report.predictionId;
        record.webhookId = report.webhookId;
        if (auto recorded = m_store->recordWebhookDelivery(record); !recorded) {
            qCWarning(lcEngine).noquote()
                << "could not record a webhook delivery (" << report.outcome
                << "):" << recorded.error().message;
        }
    }

    WebhookServiceStats webhookStats() const
    {
        return m_webhooks ? m_webhooks->stats() : WebhookServiceStats{};
    }

    void shutdown()
    {
        if (m_engine)
            m_engine->stop();
        m_webhooks.reset(); // stops listening; before the follower and the client go
        m_engine.reset();
        m_downloader.reset();
        m_client.reset();
        m_storage.reset();
        m_store.reset();
        m_lock.reset(); // unlocks
    }

Q_SIGNALS:
    void started(bool ok, const QString &error);
    void queueBusy(const QString &message);
    void jobsChanged(const QList<brieflow::JobId> &jobs);
    void jobSettled(const brieflow::JobId &job, brieflow::JobStatus status);
    void stepTextUpdated(const brieflow::JobId &job, const QString &step, const QString &text);
    void attentionChanged(const brieflow::EngineProblem &problem);
    void idle();
    void rateLimited(qint64 retryInMs, brieflow::RateLimitReason reason);
    void incident(const brieflow::JobId &job, const QString &message);
    void actionFinished(const brieflow::JobId &job, const QString &action, bool ok,
                        const QString &message);
    void webhooksStarted(bool ok, const QUrl &publicUrl, const QUrl &localUrl,
                         const QString &error);
    void webhooksProblem(const QString &message);
    void webhookStatsReady(const brieflow::WebhookServiceStats &stats);

private:
    Config m_config;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<OutputStorage> m_storage;
    std::unique_ptr<replicate::ReplicateClient> m_client;
    std::unique_ptr<WebhookService> m_webhooks; ///< only when webhooks are enabled
    QString m_webhookError;
    std::unique_ptr<OutputDownloader> m_downloader;
    std::unique_ptr<PipelineEngine> m_engine;
};

} // namespace brieflow
