// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputdownloader.h"

#include <cerrno>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFutureWatcher>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include "core/outputs/datauri.h"
#include "core/version.h"

namespace brieflow {

namespace {

constexpr qint64 kChunkBytes = 256 * 1024;
/// QNAM stops reading the socket when this much is unread, so memory stays flat if we lag.
constexpr qint64 kReadBufferBytes = 1024 * 1024;

int httpStatus(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

bool isSuccess(int status)
{
    return status >= 200 && status < 300 && status != 206;
}

QString describe(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
}

} // namespace

struct OutputDownloader::Download {
    enum class State { Queued, Transferring, Verifying };

    quint64 id = 0;
    QString source; ///< as given to fetch()
    QUrl url;       ///< the current URL (after redirects)
    State state = State::Queued;
    bool hasContext = false;
    QPointer<QObject> context;
    QMetaObject::Connection contextWatch;
    Callback done;

    QNetworkReply *reply = nullptr;
    QTimer *idle = nullptr; ///< no-progress timer, a child of the downloader
    QFile file;
    QString tempPath; ///< ours to delete until handed to the storage
    QCryptographicHash hash{QCryptographicHash::Sha256};
    qint64 received = 0;
    int redirects = 0;
};

OutputDownloader::OutputDownloader(OutputStorage &storage, OutputPolicy policy, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_policy(std::move(policy))
{
    m_policy.maxConcurrent = std::max(1, m_policy.maxConcurrent);
    m_policy.maxRedirects = std::max(0, m_policy.maxRedirects);
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() / 2));
    // No cookie jar in use (cookies are switched off per request) and no cache: nothing of one
    // download leaks into the next. The decompression safety check stays at Qt's default.
}

OutputDownloader::~OutputDownloader()
{
    for (auto &[id, d] : m_downloads) {
        disconnect(d->contextWatch);
        release(*d);
    }
    m_downloads.clear();
    m_queue.clear();
    // Decodes still running use m_storage's folder; let them end (tens of ms) before we go.
    const auto watchers = findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly);
    for (QFutureWatcherBase *watcher : watchers) {
        disconnect(watcher, nullptr, this, nullptr);
        watcher->waitForFinished();
    }
}

quint64 OutputDownloader::fetch(const QString &urlOrDataUri, QObject *context, Callback done)
{
    const quint64 id = m_nextId++;
    auto owned = std::make_unique<Download>();
    Download &d = *owned;
    d.id = id;
    d.source = urlOrDataUri.trimmed();
    d.done = std::move(done);
    if (context) {
        d.hasContext = true;
        d.context = context;
        d.contextWatch = connect(context, &QObject::destroyed, this, [this, id] { drop(id); });
    }
    m_downloads.emplace(id, std::move(owned));

    if (isDataUri(d.source)) {
        d.state = Download::State::Verifying;
        runOffThread(
            id, [storage = &m_storage, uri = d.source, maxBytes = m_policy.maxBytes]() -> Outcome {
                auto bytes = decodeDataUri(uri, maxBytes);
                if (!bytes)
                    return fail(bytes.error());
                return storage->storeBytes(*bytes, dataUriLabel(uri));
            });
        return id;
    }

    d.url = QUrl(d.source, QUrl::StrictMode);
    if (auto allowed = checkOutputUrl(d.url, m_policy); !allowed) {
        finish(id, fail(allowed.error()));
        return id;
    }
    m_queue.push_back(id);
    pump();
    return id;
}

void OutputDownloader::abort(quint64 id)
{
    if (!find(id))
        return;
    OutputError error = makeOutputError(OutputError::Kind::Network, QStringLiteral("aborted"));
    error.message = QCoreApplication::translate("OutputError", "The download was stopped.");
    finish(id, fail(std::move(error)));
}

void OutputDownloader::restartIdleTimer(Download &d)
{
    if (d.idle)
        d.idle->start();
}

OutputDownloader::Download *OutputDownloader::find(quint64 id)
{
    const auto it = m_downloads.find(id);
    return it == m_downloads.end() ? nullptr : it->second.get();
}

void OutputDownloader::pump()
{
    while (m_transferring < m_policy.maxConcurrent && !m_queue.empty()) {
        const quint64 id = m_queue.front();
        m_queue.pop_front();
        if (Download *d = find(id))
            start(*d);
    }
}

void OutputDownloader::start(Download &d)
{
    const quint64 id = d.id;
    d.tempPath = m_storage.newTemporaryPath();
    d.file.setFileName(d.tempPath);
    if (!d.file.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered)) {
        const int osError = errno;
        const QString detail = d.tempPath + QStringLiteral(": ") + d.file.errorString();
        finish(id, fail(makeStorageError(m_storage.outputsDir(), detail, osError)));
        return;
    }
    d.state = Download::State::Transferring;
    ++m_transferring;
    m_peakTransferring = std::max(m_peakTransferring, m_transferring);

    d.idle = new QTimer(this);
    d.idle->setSingleShot(true);
    d.idle->setInterval(m_policy.timeout);
    connect(d.idle, &QTimer::timeout, this, [this, id] {
        finish(id, fail(makeOutputError(
                       OutputError::Kind::Network,
                       QStringLiteral("no progress for %1 ms").arg(m_policy.timeout.count()))));
    });
    sendRequest(d);
}

void OutputDownloader::sendRequest(Download &d)
{
    const quint64 id = d.id;
    QNetworkRequest request(d.url);
    // Every hop is our own request, checked by checkOutputUrl() first (see onFinished()).
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QString(QStringLiteral("Brieflow/") + applicationVersion()));
    request.setRawHeader("Accept", "image/webp,image/png,image/jpeg;q=0.9,*/*;q=0.1");
    // Deliberately no Authorization header: the API token never goes to the delivery host.

    d.reply = m_nam.get(request);
    d.reply->setReadBufferSize(kReadBufferBytes);
    connect(d.reply, &QNetworkReply::metaDataChanged, this, [this, id] { onMetaDataChanged(id); });
    connect(d.reply, &QNetworkReply::readyRead, this, [this, id] { onReadyRead(id); });
    connect(d.reply, &QNetworkReply::finished, this, [this, id] { onFinished(id); });
    restartIdleTimer(d);
}

void OutputDownloader::onMetaDataChanged(quint64 id)
{
    Download *d = find(id);
    if (!d || !d->reply)
        return;
    restartIdleTimer(*d);
    if (!isSuccess(httpStatus(d->reply)))
        return;
    const QVariant length = d->reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_policy.maxBytes) {
        finish(id, fail(makeOutputError(OutputError::Kind::TooLarge,
                                        QStringLiteral("Content-Length %1 over the cap %2: %3")
                                            .arg(length.toLongLong())
                                            .arg(m_policy.maxBytes)
                                            .arg(describe(d->url)))));
    }
}

void OutputDownloader::onReadyRead(quint64 id)
{
    Download *d = find(id);
    if (!d || !d->reply)
        return;
    restartIdleTimer(*d);
    QNetworkReply *reply = d->reply;
    if (!isSuccess(httpStatus(reply))) {
        // A redirect's or an error's body: not the output. finished() reports the status.
        reply->skip(reply->bytesAvailable());
        return;
    }
    while (reply->bytesAvailable() > 0) {
        const qint64 available = reply->bytesAvailable();
        if (d->received + available > m_policy.maxBytes) {
            finish(id, fail(makeOutputError(OutputError::Kind::TooLarge,
                                            QStringLiteral("more than %1 bytes from %2")
                                                .arg(m_policy.maxBytes)
                                                .arg(describe(d->url)))));
            return;
        }
        const QByteArray chunk = reply->read(std::min(available, kChunkBytes));
        if (chunk.isEmpty())
            break;
        errno = 0;
        if (d->file.write(chunk) != chunk.size()) {
            const int osError = errno; // ENOSPC/EDQUOT/EFBIG: the disk is full
            const QString detail = d->tempPath + QStringLiteral(": ") + d->file.errorString();
            finish(id, fail(makeStorageError(m_storage.outputsDir(), detail, osError)));
            return;
        }
        d->hash.addData(chunk);
        d->received += chunk.size();
    }
}

void OutputDownloader::followRedirect(quint64 id, const QUrl &target)
{
    Download *d = find(id);
    if (!d)
        return;
    const QUrl next = d->url.resolved(target);
    if (++d->redirects > m_policy.maxRedirects) {
        finish(id, fail(makeOutputError(OutputError::Kind::Refused,
                                        QStringLiteral("more than %1 redirects, last to %2")
                                            .arg(m_policy.maxRedirects)
                                            .arg(describe(next)))));
        return;
    }
    if (auto allowed = checkOutputUrl(next, m_policy); !allowed) {
        OutputError error = allowed.error();
        error.detail =
            QStringLiteral("redirect from %1 refused: %2").arg(describe(d->url), error.detail);
        finish(id, fail(std::move(error)));
        return;
    }
    d->url = next;
    sendRequest(*d);
}

void OutputDownloader::onFinished(quint64 id)
{
    Download *d = find(id);
    if (!d || !d->reply)
        return;
    QNetworkReply *reply = d->reply;
    const int status = httpStatus(reply);
    const QNetworkReply::NetworkError error = reply->error();
    const QString where = describe(d->url);
    if (status == 404 || status == 410) {
        finish(id, fail(makeOutputError(OutputError::Kind::Expired,
                                        QStringLiteral("HTTP %1 from %2").arg(status).arg(where))));
        return;
    }
    if (error == QNetworkReply::NoError && status >= 300 && status < 400) {
        const QUrl target = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        if (target.isEmpty()) {
            finish(
                id,
                fail(makeOutputError(
                    OutputError::Kind::Network,
                    QStringLiteral("HTTP %1 without a Location from %2").arg(status).arg(where))));
            return;
        }
        disconnect(reply, nullptr, this, nullptr);
        reply->deleteLater();
        d->reply = nullptr;
        followRedirect(id, target);
        return;
    }
    if (error != QNetworkReply::NoError || !isSuccess(status)) {
        const QString detail =
            status > 0
                ? QStringLiteral("HTTP %1 from %2: %3").arg(status).arg(where, reply->errorString())
                : reply->errorString() + QStringLiteral(": ") + where;
        finish(id, fail(makeOutputError(OutputError::Kind::Network, detail)));
        return;
    }

    onReadyRead(id); // whatever is still buffered
    d = find(id);
    if (!d || !d->reply)
        return;
    if (d->received == 0) {
        finish(id, fail(makeOutputError(OutputError::Kind::Invalid,
                                        QStringLiteral("empty body from ") + where)));
        return;
    }

    // The transfer is done: free its slot, hand the file to the storage off this thread.
    d->file.close();
    const QString tempPath = std::exchange(d->tempPath, QString());
    const QString sha = QString::fromLatin1(d->hash.result().toHex());
    release(*d);
    d->state = Download::State::Verifying;
    runOffThread(id, [storage = &m_storage, tempPath, source = d->source, sha]() -> Outcome {
        return storage->adoptTemporary(tempPath, source, sha);
    });
    pump();
}

void OutputDownloader::runOffThread(quint64 id, std::function<Outcome()> task)
{
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, id, watcher] {
        watcher->deleteLater();
        const Download *d = find(id);
        if (d && d->state == Download::State::Verifying)
            finish(id, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, std::move(task)));
}

void OutputDownloader::release(Download &d)
{
    // deleteLater: this may run inside the timer's or the reply's own signal.
    if (QTimer *idle = std::exchange(d.idle, nullptr)) {
        idle->stop();
        idle->deleteLater();
    }
    if (QNetworkReply *reply = std::exchange(d.reply, nullptr)) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
    if (d.state == Download::State::Transferring) {
        d.state = Download::State::Queued; // no longer on the wire
        --m_transferring;
    }
    if (d.file.isOpen())
        d.file.close();
    if (!d.tempPath.isEmpty())
        QFile::remove(std::exchange(d.tempPath, QString()));
}

void OutputDownloader::finish(quint64 id, Outcome outcome)
{
    const auto found = m_downloads.find(id);
    if (found == m_downloads.end())
        return;
    std::unique_ptr<Download> d = std::move(found->second);
    m_downloads.erase(found);
    std::erase(m_queue, id);
    disconnect(d->contextWatch);
    release(*d);
    auto deliver = [done = std::move(d->done), context = d->context, hasContext = d->hasContext,
                    outcome = std::move(outcome)] {
        const QObject *alive = context.data();
        if (done && (!hasContext || alive))
            done(outcome);
    };
    QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    pump();
}

void OutputDownloader::drop(quint64 id)
{
    const auto found = m_downloads.find(id);
    if (found == m_downloads.end())
        return;
    std::unique_ptr<Download> d = std::move(found->second);
    m_downloads.erase(found);
    std::erase(m_queue, id);
    release(*d);
    pump();
}

} // namespace brieflow
