// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace brieflow::sandbox {

struct SandboxModel;

/** A prediction's status, as the API spells it by statusName(). */
enum class Status { Starting, Processing, Succeeded, Failed, Canceled, Aborted };

QString statusName(Status status);
bool isTerminal(Status status);

/** An output file the sandbox serves itself, with the SHA-256 of exactly the bytes served. */
struct OutputFile {
    QString name; ///< "out-0.webp"
    QByteArray contentType;
    QByteArray data;
    QString sha256;
};

/** Where things live on this server: the URLs a prediction object points at. */
struct SandboxUrls {
    QString origin;       ///< "http://127.0.0.1:PORT"
    QString streamOrigin; ///< the same, or another host alias for urls.stream

    QString api() const { return origin + QStringLiteral("/v1"); }
    QString prediction(const QString &id) const
    {
        return api() + QStringLiteral("/predictions/") + id;
    }
    QString cancel(const QString &id) const { return prediction(id) + QStringLiteral("/cancel"); }
    QString web(const QString &id) const { return origin + QStringLiteral("/p/") + id; }
    QString stream(const QString &token) const
    {
        return streamOrigin + QStringLiteral("/v1/streams/") + token;
    }
    QString file(const QString &id, const QString &name) const
    {
        return origin + QStringLiteral("/files/") + id + QLatin1Char('/') + name;
    }
};

/**
 * One prediction as the sandbox keeps it: what the API shows plus the plan the engine follows
 * (latencies, the tokens it will emit, a scripted failure). Owned by the PredictionEngine.
 */
struct Prediction {
    QString id;
    const SandboxModel *model = nullptr;
    QString modelField; ///< what "model" says (may be an internal name)
    QString version;    ///< what "version" says
    QByteArray input;   ///< the input object exactly as received, compact JSON
    QString inputKey;   ///< SandboxStats::inputKey() of the create
    Status status = Status::Starting;
    QStringList output; ///< tokens emitted so far, or output file names
    bool hasOutput = false;
    QString logs;
    QString error;
    qint64 createdNs = 0;
    qint64 startedNs = 0;   ///< 0: not started
    qint64 completedNs = 0; ///< 0: not finished
    qint64 deadlineNs = 0;  ///< 0: no Cancel-After
    QString webhook;
    QStringList webhookEvents; ///< the filter, as sent (empty: not sent)
    bool streamRequested = false;
    QString streamToken; ///< empty when the model cannot stream
    QString deployment;
    bool syncMode = false; ///< created with Prefer: wait: file outputs become data: URIs
    bool dataRemoved = false;
    QList<OutputFile> files;

    // The plan.
    qint64 queueMs = 0;
    qint64 runMs = 0;
    QStringList plannedTokens;
    quint64 outputSeed = 0;
    QString failWith;
    qint64 ttlMs = 0;
    int stepsDone = 0;
    int stepsTotal = 1;
};

/** Which shape of the prediction object to write. */
enum class PredictionView {
    Full,           ///< GET, cancel, create, webhook bodies
    ListItem,       ///< GET /v1/predictions results: no logs
    SyncProcessing, ///< the recorded Prefer: wait quirk: "processing" with the whole output
};

/** The prediction object as Replicate writes it (key order of recorded 2024 responses). */
QByteArray predictionJson(const Prediction &prediction, const SandboxUrls &urls,
                          PredictionView view = PredictionView::Full);

} // namespace brieflow::sandbox
