// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>

#include "core/sandbox/exchange.h"
#include "core/sandbox/sandboxclock.h"

namespace brieflow::sandbox {

/**
 * The prediction endpoints: the three create forms, GET and cancel of one prediction, and the
 * paginated list. Holds Prefer: wait creates open until the prediction finishes or the wait
 * runs out, and answers them through the server's Responder like everything else.
 */
class PredictionApi final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PredictionApi)

public:
    PredictionApi(const SandboxContext &context, Responder respond, QObject *parent = nullptr);
    ~PredictionApi() override;

    /** Answers @p exchange if it is a prediction endpoint; false if the path is not one. */
    bool handle(const ExchangePtr &exchange);

private:
    struct Hold {
        ExchangePtr exchange;
        QString predictionId;
        QByteArray preferenceApplied;
        SandboxClock::TimerId timer = 0;
    };

    void create(const ExchangePtr &exchange, int form, const QString &owner, const QString &name);
    void get(const ExchangePtr &exchange, const QString &id);
    void cancel(const ExchangePtr &exchange, const QString &id);
    void list(const ExchangePtr &exchange);
    void release(const QString &predictionId, const std::shared_ptr<Hold> &hold);

    SandboxContext m_context;
    Responder m_respond;
    QHash<QString, QList<std::shared_ptr<Hold>>> m_holds;
};

} // namespace brieflow::sandbox
