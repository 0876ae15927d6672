// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

class QTcpSocket;

namespace brieflow::sandbox {

class PredictionEngine;
struct Prediction;

/**
 * The Server-Sent Events behind urls.stream. Each stream owns its socket: a text/event-stream
 * head without Content-Length, ": hi", the output so far, then "output"/"logs" events as they
 * happen, "error" on failure and "done" ({} or {"reason":…}) before it closes the connection.
 * Every event has "event:" and "id:" lines; multi-line data uses several "data:" lines.
 */
class StreamHub final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamHub)

public:
    explicit StreamHub(PredictionEngine *engine, QObject *parent = nullptr);
    ~StreamHub() override;

    /** Starts streaming @p prediction on @p socket; @p onClosed runs once when it ends. */
    void open(QTcpSocket *socket, const Prediction &prediction, std::function<void()> onClosed);
    int openStreams() const { return static_cast<int>(m_streams.size()); }

    /** One SSE frame; exposed for the tests of the framing. */
    static QByteArray frame(const QByteArray &event, const QByteArray &id, const QString &data);

private:
    struct Stream {
        QPointer<QTcpSocket> socket;
        QString predictionId;
        qint64 idSeconds = 0;
        int nextEvent = 0;
        std::function<void()> onClosed;
    };

    void write(Stream &stream, const QByteArray &event, const QString &data);
    void finish(const std::shared_ptr<Stream> &stream, const Prediction &prediction);
    void close(const std::shared_ptr<Stream> &stream);

    PredictionEngine *m_engine;
    QList<std::shared_ptr<Stream>> m_streams;
};

} // namespace brieflow::sandbox
