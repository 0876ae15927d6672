// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QMutex>
#include <QObject>
#include <QString>

namespace brieflow::ui {

/**
 * Where the Replicate API token is kept between runs. Asynchronous (a keychain may ask the user
 * or talk over D-Bus): every call answers once through @p done, on the caller's thread, from the
 * event loop, unless @p context died first. Implementations never write the token to QSettings,
 * the database or a log.
 */
class TokenStore : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenStore)

public:
    enum class Status {
        Ok,          ///< done; for read(), token holds the stored token
        NotFound,    ///< read(): nothing stored
        Unavailable, ///< there is no keychain to store it in (headless, no Secret Service)
        Failed,      ///< the keychain refused or failed; message says how
    };
    struct Outcome {
        Status status = Status::Failed;
        QString token;   ///< read() only
        QString message; ///< plain words when status is not Ok
    };
    using Callback = std::function<void(const Outcome &)>;

    using QObject::QObject;
    ~TokenStore() override;

    virtual void read(QObject *context, Callback done) = 0;
    virtual void write(const QString &token, QObject *context, Callback done) = 0;
    virtual void remove(QObject *context, Callback done) = 0;
    /** For people: "the system keychain". */
    virtual QString displayName() const = 0;
};

/** The OS keychain through QtKeychain (Secret Service, KWallet, macOS Keychain, Windows). */
class KeychainTokenStore final : public TokenStore {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainTokenStore)

public:
    /** @p service names the entry's service ("Brieflow"), the key is fixed. */
    explicit KeychainTokenStore(const QString &service, QObject *parent = nullptr);
    ~KeychainTokenStore() override;

    void read(QObject *context, Callback done) override;
    void write(const QString &token, QObject *context, Callback done) override;
    void remove(QObject *context, Callback done) override;
    QString displayName() const override;

private:
    QString m_service;
};

/** Keeps the token in memory only: tests, and a session where no keychain is available. */
class InMemoryTokenStore final : public TokenStore {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InMemoryTokenStore)

public:
    explicit InMemoryTokenStore(QObject *parent = nullptr);
    ~InMemoryTokenStore() override;

    void read(QObject *context, Callback done) override;
    void write(const QString &token, QObject *context, Callback done) override;
    void remove(QObject *context, Callback done) override;
    QString displayName() const override;

    /** Behave like a system without a keychain (every call answers Unavailable). */
    void setAvailable(bool available) { m_available = available; }
    QString storedToken() const { return m_token; }
    int writeCount() const { return m_writes; }

private:
    void answer(QObject *context, Callback done, Outcome outcome);

    QString m_token;
    bool m_available = true;
    int m_writes = 0;
};

/**
 * The token in use right now and where it came from, shared between the GUI thread (settings)
 * and the engine thread (asked before every request), hence the mutex.
 */
class SharedToken {
public:
    enum class Source { None, Environment, Keychain, Session, Demo };

    void set(const QString &token, Source source);
    QString token() const;
    Source source() const;
    bool isEmpty() const { return token().isEmpty(); }

private:
    mutable QMutex m_mutex;
    QString m_token;
    Source m_source = Source::None;
};

/** The message for a system without a usable keychain, in plain words. */
QString keychainUnavailableMessage();

} // namespace brieflow::ui
