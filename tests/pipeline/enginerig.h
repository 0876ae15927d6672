// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QSignalSpy>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/outputs/outputdownloader.h"
#include "core/outputs/outputstorage.h"
#include "core/pipeline/pipelineengine.h"
#include "core/replicate/replicateclient.h"
#include "core/sandbox/sandboxserver.h"
#include "core/store/jobstore.h"
#include "core/util/clock.h"
#include "core/workflow/workflow.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

namespace brieflow::test {

/**
 * The real engine against the real sandbox over loopback, with a real SQLite file and outputs
 * folder in a temporary data folder. The engine runs on the test's thread; runUntilIdle()
 * spins the event loop.
 */
class EngineRig {
public:
    explicit EngineRig(sandbox::SandboxConfig config = sandbox::SandboxConfig::forTests())
        : server(std::make_unique<sandbox::SandboxServer>(config))
    {
        QVERIFY(server->start());
        store = openTestStore(dir);
        QVERIFY(store);
        storage = std::make_unique<OutputStorage>(dir.paths().outputsDir());
        options.reconcileFirstLook = std::chrono::milliseconds(20);
        options.reconcileSettle = std::chrono::milliseconds(50);
        options.reconcileSkew = std::chrono::milliseconds(60'000);
        options.outputPolicy.allowLoopback = true;
        options.jitterSeed = 7;
        token = QStringLiteral("sandbox-test-token");
        downloader = std::make_unique<OutputDownloader>(*storage, options.outputPolicy);
        auto loaded = builtinWorkflow(defaultWorkflowId());
        QVERIFY(loaded);
        workflow = std::move(loaded).value();
        // Tests don't wait seconds between attempts.
        for (StepDefinition &step : workflow.steps) {
            step.retry.initialBackoff = std::chrono::milliseconds(20);
            step.retry.maxBackoff = std::chrono::milliseconds(50);
        }
    }

    ~EngineRig()
    {
        engine.reset();
        client.reset();
    }

    /** Builds the client and the engine (after tests adjusted options or the workflow). */
    void makeEngine()
    {
        engine.reset();
        client.reset();
        replicate::ReplicateClient::Options o;
        o.baseUrl = server->baseUrl();
        o.token = [this] { return token; };
        o.retry.baseDelay = std::chrono::milliseconds(10);
        o.retry.maxDelay = std::chrono::milliseconds(50);
        client = std::make_unique<replicate::ReplicateClient>(o);
        engine = std::make_unique<PipelineEngine>(*store, *client, *downloader, workflow, options,
                                                  SteadyClock::instance());
    }

    JobId submit(const QString &exampleFile = QStringLiteral("brief.json"))
    {
        QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/") + exampleFile);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        auto brief = briefFromJson(file.readAll());
        if (!brief)
            return {};
        auto job = submitBrief(*store, *brief, QStringLiteral("test"));
        return job ? job->id : JobId();
    }

    /** Starts the engine if needed and spins until it reports idle. */
    bool runUntilIdle(int timeoutMs = 20'000)
    {
        if (!engine)
            makeEngine();
        QSignalSpy idle(engine.get(), &PipelineEngine::idle);
        if (!engine->isRunning())
            engine->start();
        else
            engine->wake();
        return idle.wait(timeoutMs) || engine->isIdle();
    }

    JobRecord job(const JobId &id) const { return store->job(id).value().value(); }
    QList<StepRecord> steps(const JobId &id) const { return store->steps(id).value(); }
    StepRecord step(const JobId &id, const QString &name) const
    {
        for (const StepRecord &s : steps(id)) {
            if (s.name == name)
                return s;
        }
        return {};
    }
    QList<ProviderCallRecord> calls(const JobId &id, const QString &stepName) const
    {
        return store->calls(step(id, stepName).id).value();
    }
    QString status(const JobId &id) const { return toString(job(id).status); }
    QString stepStatus(const JobId &id, const QString &name) const
    {
        return toString(step(id, name).status);
    }

    TempDataDir dir;
    std::unique_ptr<sandbox::SandboxServer> server;
    std::unique_ptr<JobStore> store;
    std::unique_ptr<OutputStorage> storage;
    std::unique_ptr<OutputDownloader> downloader;
    std::unique_ptr<replicate::ReplicateClient> client;
    std::unique_ptr<PipelineEngine> engine;
    EngineOptions options;
    Workflow workflow;
    QString token;
};

} // namespace brieflow::test
