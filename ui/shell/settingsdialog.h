// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QDialog>
#include <QHash>
#include <QUrl>

#include "core/monitoring/pricetable.h"
#include "core/paths.h"

class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace brieflow {
class Settings;
}

namespace brieflow::ui {

class FieldMessage;
class ProviderProbe;
class SharedToken;
class TokenStore;

/**
 * Settings, in four pages. Connection: the API token kept in the OS keychain through a
 * TokenStore (never in the settings file), REPLICATE_API_TOKEN shown as the source when set, and
 * "Test connection". Models: each step's model reference, checked against the model's input
 * schema. Engine: jobs at once, predictions in flight, the polling budget, and "Webhooks
 * (advanced)": enable, listen address, port, public URL (used from the next start). Cost: the
 * price table (model → US dollars per second of predict_time, a fallback price, Restore
 * defaults) and an optional daily budget, applied live (costSettingsChanged). Data: the data
 * folder. Token changes apply at once (tokenChanged); other changes on OK or Apply.
 */
class SettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    enum class Page { Connection, Models, Engine, Cost, Data };

    struct Context {
        Settings *settings = nullptr;
        Paths paths;
        TokenStore *tokens = nullptr; ///< may be null: the token can't be stored
        SharedToken *token = nullptr; ///< the token in use; updated when it's saved or removed
        QUrl apiBase;                 ///< where "Test connection" goes; empty: Replicate
        bool demo = false;
    };

    explicit SettingsDialog(const Context &context, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void showPage(Page page);
    Page currentPage() const;

    // For tests and the main window.
    QLineEdit *tokenField() const { return m_tokenField; }
    QLabel *tokenSourceLabel() const { return m_tokenSource; }
    QLabel *connectionResult() const { return m_connectionResult; }
    QPushButton *saveTokenButton() const { return m_saveToken; }
    QPushButton *removeTokenButton() const { return m_removeToken; }
    QPushButton *testConnectionButton() const { return m_testConnection; }
    QLineEdit *modelField(const QString &step) const { return m_models.value(step).field; }
    FieldMessage *modelMessage(const QString &step) const { return m_models.value(step).message; }
    QPushButton *checkModelsButton() const { return m_checkModels; }
    QSpinBox *jobsAtOnce() const { return m_jobs; }
    QSpinBox *predictionsInFlight() const { return m_predictions; }
    QSpinBox *pollBudget() const { return m_pollBudget; }
    QGroupBox *webhooksGroup() const { return m_webhooks; }
    QLineEdit *webhookAddress() const { return m_webhookAddress; }
    QSpinBox *webhookPort() const { return m_webhookPort; }
    QLineEdit *webhookPublicUrl() const { return m_webhookPublicUrl; }
    FieldMessage *webhookMessage() const { return m_webhookMessage; }
    /** Cost: one row per model (model, US dollars per second), editable. */
    QTableWidget *priceTable() const { return m_prices; }
    QPushButton *addPriceButton() const { return m_addPrice; }
    QPushButton *removePriceButton() const { return m_removePrice; }
    QPushButton *restorePricesButton() const { return m_restorePrices; }
    QLineEdit *fallbackPrice() const { return m_fallbackPrice; }
    /** The daily budget in US dollars; empty or 0: none. */
    QLineEdit *dailyBudget() const { return m_dailyBudget; }
    FieldMessage *costMessage() const { return m_costMessage; }
    /** The price table as edited, or nullopt with the first problem in @p problem. */
    std::optional<PriceTable> editedPrices(QString *problem = nullptr) const;
    /** The daily budget as edited (0: none), or nullopt with the problem in @p problem. */
    std::optional<double> editedBudget(QString *problem = nullptr) const;
    /** Fills the cost page's editor with @p prices. */
    void showPrices(const PriceTable &prices);

public Q_SLOTS:
    void saveToken();
    void removeToken();
    void testConnection();
    void checkModels();
    /** Writes the Models, Engine and Data pages to the settings. */
    void apply();
    void accept() override;

Q_SIGNALS:
    /** The token in use changed (saved, removed, or set for this session). */
    void tokenChanged();
    void concurrencyChanged(int maxJobs, int maxPredictionsInFlight);
    void connectionTested(bool ok, const QString &message);
    /** Every model reference was checked; @p ok when all of them fit. */
    void modelsChecked(bool ok);
    /** The price table or the daily budget (0: none) was saved changed: apply them live
     *  (EngineHost::setCostSettings, the estimates shown). */
    void costSettingsChanged(const brieflow::PriceTable &prices, double dailyBudgetUsd);

private:
    struct ModelRow {
        QLineEdit *field = nullptr;
        FieldMessage *message = nullptr;
        QStringList inputKeys;
        bool wantsImages = false;
    };

    QWidget *buildConnectionPage();
    QWidget *buildModelsPage();
    QWidget *buildEnginePage();
    QWidget *buildCostPage();
    QWidget *buildDataPage();
    /** Shows the problem with the cost fields, if any; true when they can be saved. */
    bool checkCost();
    void addPriceRow(const QString &model, double usdPerSecond);
    QGroupBox *buildWebhooksGroup(QWidget *page);
    /** Shows the problem with the webhook fields, if any; true when they can be saved. */
    bool checkWebhooks();
    void addPage(const QString &title, const QString &icon, QWidget *page);
    void refreshTokenSource();
    void showConnectionResult(bool ok, const QString &message);
    QString tokenForCalls() const;

    Context m_context;
    ProviderProbe *m_probe = nullptr;
    QListWidget *m_pages = nullptr;
    QStackedWidget *m_stack = nullptr;

    QLabel *m_tokenSource = nullptr;
    QLineEdit *m_tokenField = nullptr;
    QPushButton *m_saveToken = nullptr;
    QPushButton *m_removeToken = nullptr;
    QPushButton *m_testConnection = nullptr;
    QLabel *m_connectionResult = nullptr;
    bool m_keychainAvailable = true;
    bool m_tokenStored = false;
    QString m_keychainProblem;

    QHash<QString, ModelRow> m_models;
    QStringList m_modelOrder;
    QPushButton *m_checkModels = nullptr;
    int m_pendingChecks = 0;
    bool m_checksOk = true;

    QSpinBox *m_jobs = nullptr;
    QSpinBox *m_predictions = nullptr;
    QSpinBox *m_pollBudget = nullptr;
    QGroupBox *m_webhooks = nullptr;
    QLineEdit *m_webhookAddress = nullptr;
    QSpinBox *m_webhookPort = nullptr;
    QLineEdit *m_webhookPublicUrl = nullptr;
    FieldMessage *m_webhookMessage = nullptr;

    QTableWidget *m_prices = nullptr;
    QPushButton *m_addPrice = nullptr;
    QPushButton *m_removePrice = nullptr;
    QPushButton *m_restorePrices = nullptr;
    QLineEdit *m_fallbackPrice = nullptr;
    QLineEdit *m_dailyBudget = nullptr;
    FieldMessage *m_costMessage = nullptr;

    QLabel *m_dataFolder = nullptr;
    QLabel *m_dataNote = nullptr;
    QString m_newDataFolder;
};

} // namespace brieflow::ui
