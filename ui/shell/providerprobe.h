// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QObject>
#include <QUrl>

#include "core/provider/modelprovider.h"

namespace brieflow::replicate {
class ReplicateClient;
}

namespace brieflow::ui {

/** A provider problem in the user's words, with what to do (ui.md "Errors in the user's words"). */
QString describeProviderProblem(const ProviderError &error);

/** The outcome of checking one step's model reference against the provider. */
struct ModelCheck {
    bool ok = false;
    QString message; ///< ok: "owner/name · version 1a2b3c4d"; not ok: the problem in plain words
};

/**
 * Short, user-initiated calls to the model API from the GUI thread: "Test connection" (the
 * account behind a token) and checking a step's model reference against the model's input
 * schema. Fewer retries than the engine's client: the user is waiting for an answer.
 */
class ProviderProbe final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderProbe)

public:
    /** @p apiBase: empty for Replicate, the sandbox's base URL in demo mode and tests. */
    explicit ProviderProbe(const QUrl &apiBase, QObject *parent = nullptr);
    ~ProviderProbe() override;

    QUrl apiBase() const { return m_apiBase; }

    /** The account behind @p token. */
    void account(const QString &token, QObject *context, ProviderCallback<Account> done);
    /**
     * Checks @p modelRef for a step: it parses, the model exists and has a version, the
     * version's inputs take every key of @p inputKeys and need nothing else without a default,
     * and its output fits @p wantImages (files) or text.
     */
    void checkModel(const QString &token, const QString &modelRef, const QStringList &inputKeys,
                    bool wantImages, QObject *context,
                    std::function<void(const ModelCheck &)> done);

private:
    replicate::ReplicateClient *client(const QString &token);

    QUrl m_apiBase;
    QString m_token; ///< the token of the calls being made; never logged
    replicate::ReplicateClient *m_client = nullptr;
};

/** The problems of @p version for a step sending @p inputKeys; empty when it fits. */
QString schemaProblems(const ModelVersion &version, const QStringList &inputKeys, bool wantImages);

} // namespace brieflow::ui
