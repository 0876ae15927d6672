// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QLockFile>
#include <QObject>

#include "core/outputs/outputdownloader.h"
#include "core/outputs/outputstorage.h"
#include "core/pipeline/enginehost.h"
#include "core/pipeline/pipelineengine.h"
#include "core/replicate/replicateclient.h"
#include "core/store/jobstore.h"
#include "core/util/clock.h"
#include "core/workflow/workflow.h"

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
        m_engine->start();
        Q_EMIT started(true, QString());
    }

    void shutdown()
    {
        if (m_engine)
            m_engine->stop();
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
    void rateLimited(qint64 retryInMs);
    void actionFinished(const brieflow::JobId &job, const QString &action, bool ok,
                        const QString &message);

private:
    Config m_config;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<OutputStorage> m_storage;
    std::unique_ptr<replicate::ReplicateClient> m_client;
    std::unique_ptr<OutputDownloader> m_downloader;
    std::unique_ptr<PipelineEngine> m_engine;
};

} // namespace brieflow
