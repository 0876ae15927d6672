// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>

#include "core/replicate/replicatestream.h"

namespace brieflow {

/**
 * Feeds a streaming GET's QNetworkReply into a ReplicateStreamDecoder as bytes arrive and
 * reports decoded items. The reply stays owned by its creator; the reader aborts it once the
 * stream reached a final state (done, error, too large) so the connection is released.
 * HTTP status and content-type checks belong to the client that made the request.
 */
class ReplicateStreamReader final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplicateStreamReader)

public:
    explicit ReplicateStreamReader(QNetworkReply *reply, QObject *parent = nullptr);
    ReplicateStreamReader(QNetworkReply *reply, ReplicateStreamDecoder::Options options,
                          QObject *parent = nullptr);

    const ReplicateStreamDecoder &decoder() const { return m_decoder; }
    /** The reply's error when it finished; OperationCanceledError after our own abort. */
    QNetworkReply::NetworkError networkError() const { return m_networkError; }
    bool isFinished() const { return m_finished; }
    /** The HTTP status of the answer (0 before headers arrived). Anything but 200 is an error
     *  page, which is not fed to the decoder. */
    int httpStatus() const { return m_httpStatus; }
    /** Stops reading now (our own cancel): finished() follows at once. */
    void abort();

Q_SIGNALS:
    /** Items decoded from one read, in order. */
    void itemsReceived(const QList<brieflow::ReplicateStreamItem> &items);
    /** Emitted once; decoder().state() is final by then. */
    void finished();

private:
    void readAvailable();
    void onReplyFinished();
    void complete();

    QPointer<QNetworkReply> m_reply;
    ReplicateStreamDecoder m_decoder;
    QNetworkReply::NetworkError m_networkError = QNetworkReply::NoError;
    bool m_finished = false;
    int m_httpStatus = 0;
};

} // namespace brieflow
