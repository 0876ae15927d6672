// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/tokenstore.h"

#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace brieflow::ui {

namespace {

const QString tokenKey = QStringLiteral("replicate-api-token");

TokenStore::Outcome outcomeOf(const QKeychain::Job &job)
{
    TokenStore::Outcome outcome;
    switch (job.error()) {
    case QKeychain::NoError:
        outcome.status = TokenStore::Status::Ok;
        return outcome;
    case QKeychain::EntryNotFound:
        outcome.status = TokenStore::Status::NotFound;
        return outcome;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        outcome.status = TokenStore::Status::Unavailable;
        outcome.message = keychainUnavailableMessage();
        return outcome;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        outcome.status = TokenStore::Status::Failed;
        outcome.message = QObject::tr("The system keychain did not allow Brieflow to use it.");
        return outcome;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    outcome.status = TokenStore::Status::Failed;
    outcome.message =
        QObject::tr("The system keychain reported a problem: %1").arg(job.errorString());
    return outcome;
}

template<typename JobType>
void run(JobType *job, QObject *context, TokenStore::Callback done,
         std::function<void(TokenStore::Outcome &, JobType &)> fill = {})
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(tokenKey);
    const QPointer<QObject> guard(context);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [guard, done = std::move(done), fill = std::move(fill)](QKeychain::Job *j) {
                         if (guard.isNull())
                             return;
                         auto *typed = static_cast<JobType *>(j);
                         TokenStore::Outcome outcome = outcomeOf(*typed);
                         if (fill && outcome.status == TokenStore::Status::Ok)
                             fill(outcome, *typed);
                         done(outcome);
                     });
    job->start();
}

} // namespace

TokenStore::~TokenStore() = default;

QString keychainUnavailableMessage()
{
    return QObject::tr("No system keychain is available here (for example, no Secret Service is "
                       "running), so Brieflow can't store the token safely and won't store it in "
                       "plain text. Use it for this session only, or set REPLICATE_API_TOKEN in "
                       "the environment before starting Brieflow.");
}

KeychainTokenStore::KeychainTokenStore(const QString &service, QObject *parent)
    : TokenStore(parent)
    , m_service(service)
{}

KeychainTokenStore::~KeychainTokenStore() = default;

void KeychainTokenStore::read(QObject *context, Callback done)
{
    run<QKeychain::ReadPasswordJob>(new QKeychain::ReadPasswordJob(m_service, this), context,
                                    std::move(done),
                                    [](Outcome &outcome, QKeychain::ReadPasswordJob &job) {
                                        outcome.token = job.textData().trimmed();
                                        if (outcome.token.isEmpty())
                                            outcome.status = Status::NotFound;
                                    });
}

void KeychainTokenStore::write(const QString &token, QObject *context, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setTextData(token.trimmed());
    run<QKeychain::WritePasswordJob>(job, context, std::move(done));
}

void KeychainTokenStore::remove(QObject *context, Callback done)
{
    run<QKeychain::DeletePasswordJob>(new QKeychain::DeletePasswordJob(m_service, this), context,
                                      [done = std::move(done)](const Outcome &outcome) {
                                          Outcome o = outcome;
                                          if (o.status == Status::NotFound)
                                              o.status = Status::Ok; // already gone
                                          done(o);
                                      });
}

QString KeychainTokenStore::displayName() const
{
    return tr("the system keychain");
}

InMemoryTokenStore::InMemoryTokenStore(QObject *parent)
    : TokenStore(parent)
{}

InMemoryTokenStore::~InMemoryTokenStore() = default;

void InMemoryTokenStore::answer(QObject *context, Callback done, Outcome outcome)
{
    // Asynchronous like a real keychain: never inside the call.
    QTimer::singleShot(0, context, [done = std::move(done), outcome] { done(outcome); });
}

void InMemoryTokenStore::read(QObject *context, Callback done)
{
    Outcome o;
    if (!m_available) {
        o.status = Status::Unavailable;
        o.message = keychainUnavailableMessage();
    } else if (m_token.isEmpty()) {
        o.status = Status::NotFound;
    } else {
        o.status = Status::Ok;
        o.token = m_token;
    }
    answer(context, std::move(done), o);
}

void InMemoryTokenStore::write(const QString &token, QObject *context, Callback done)
{
    Outcome o;
    if (!m_available) {
        o.status = Status::Unavailable;
        o.message = keychainUnavailableMessage();
    } else {
        m_token = token.trimmed();
        ++m_writes;
        o.status = Status::Ok;
    }
    answer(context, std::move(done), o);
}

void InMemoryTokenStore::remove(QObject *context, Callback done)
{
    Outcome o;
    if (!m_available) {
        o.status = Status::Unavailable;
        o.message = keychainUnavailableMessage();
    } else {
        m_token.clear();
        o.status = Status::Ok;
    }
    answer(context, std::move(done), o);
}

QString InMemoryTokenStore::displayName() const
{
    return tr("memory (this session only)");
}

void SharedToken::set(const QString &token, Source source)
{
    const QMutexLocker lock(&m_mutex);
    m_token = token.trimmed();
    m_source = m_token.isEmpty() ? Source::None : source;
}

QString SharedToken::token() const
{
    const QMutexLocker lock(&m_mutex);
    return m_token;
}

SharedToken::Source SharedToken::source() const
{
    const QMutexLocker lock(&m_mutex);
    return m_source;
}

} // namespace brieflow::ui
