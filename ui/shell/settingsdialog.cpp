// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/settingsdialog.h"

#include <QAction>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "core/settings.h"
#include "core/webhooks/webhookservice.h"
#include "core/workflow/workflow.h"
#include "ui/shell/providerprobe.h"
#include "ui/shell/tokenstore.h"
#include "ui/widgets/fieldmessage.h"

namespace brieflow::ui {

namespace {

const Setting<QString> *modelSetting(const QString &step)
{
    if (step == QLatin1String("concept"))
        return &Settings::ConceptModel;
    if (step == QLatin1String("image_prompt"))
        return &Settings::ImagePromptModel;
    if (step == QLatin1String("image"))
        return &Settings::ImageModel;
    return nullptr;
}

QLabel *pageTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    f.setBold(true);
    label->setFont(f);
    return label;
}

QLabel *note(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    label->setPalette(p);
    return label;
}

QSpinBox *spin(int min, int max, int value, const QString &name, const QString &tip,
               QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setValue(value);
    box->setAccessibleName(name);
    box->setToolTip(tip);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(const Context &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_probe(new ProviderProbe(context.apiBase, this))
{
    Q_ASSERT(context.settings);
    setWindowTitle(tr("Settings"));
    setMinimumSize(720, 480);

    auto *outer = new QVBoxLayout(this);
    auto *body = new QHBoxLayout;
    m_pages = new QListWidget(this);
    m_pages->setAccessibleName(tr("Settings pages"));
    m_pages->setFixedWidth(170);
    m_pages->setIconSize(QSize(20, 20));
    m_pages->setFrameShape(QFrame::NoFrame);
    m_stack = new QStackedWidget(this);
    body->addWidget(m_pages);
    body->addWidget(m_stack, 1);
    outer->addLayout(body, 1);

    addPage(tr("Connection"), QStringLiteral(":/icons/settings.svg"), buildConnectionPage());
    addPage(tr("Models"), QStringLiteral(":/icons/details.svg"), buildModelsPage());
    addPage(tr("Engine"), QStringLiteral(":/icons/play.svg"), buildEnginePage());
    addPage(tr("Cost"), QStringLiteral(":/icons/monitor.svg"), buildCostPage());
    addPage(tr("Data"), QStringLiteral(":/icons/folder-open.svg"), buildDataPage());
    connect(m_pages, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_pages->setCurrentRow(0);

    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &SettingsDialog::apply);
    outer->addWidget(buttons);

    refreshTokenSource();
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::addPage(const QString &title, const QString &icon, QWidget *page)
{
    auto *item = new QListWidgetItem(QIcon(icon), title, m_pages);
    item->setSizeHint(QSize(0, 36));
    m_stack->addWidget(page);
}

void SettingsDialog::showPage(Page page)
{
    m_pages->setCurrentRow(static_cast<int>(page));
}

SettingsDialog::Page SettingsDialog::currentPage() const
{
    return static_cast<Page>(m_stack->currentIndex());
}

// --- Connection ---------------------------------------------------------------------------

QWidget *SettingsDialog::buildConnectionPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 8, 16, 8);
    layout->setSpacing(8);
    layout->addWidget(pageTitle(tr("Connection"), page));
    layout->addWidget(note(tr("Brieflow sends briefs to Replicate with your API token. It is kept "
                              "in the system keychain, never in Brieflow's settings file, its "
                              "database or its logs. Create one at "
                              "<a href=\"https://replicate.com/account/api-tokens\">"
                              "replicate.com/account/api-tokens</a>."),
                           page));
    if (auto *intro = page->findChildren<QLabel *>().last()) {
        intro->setOpenExternalLinks(true);
        intro->setTextFormat(Qt::RichText);
    }
    if (m_context.demo)
        layout->addWidget(note(tr("Demo mode: the built-in sandbox needs no token. A token saved "
                                  "here is used when Brieflow runs for real."),
                               page));

    auto *label = new QLabel(tr("API token"), page);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    layout->addSpacing(8);
    layout->addWidget(label);
    m_tokenField = new QLineEdit(page);
    m_tokenField->setEchoMode(QLineEdit::Password);
    m_tokenField->setPlaceholderText(tr("r8_…"));
    m_tokenField->setAccessibleName(tr("API token"));
    m_tokenField->setToolTip(tr("Paste your Replicate API token"));
    m_tokenField->setClearButtonEnabled(true);
    auto *reveal = m_tokenField->addAction(QIcon(QStringLiteral(":/icons/details.svg")),
                                           QLineEdit::TrailingPosition);
    reveal->setToolTip(tr("Show or hide the token"));
    reveal->setCheckable(true);
    connect(reveal, &QAction::toggled, this, [this](bool shown) {
        m_tokenField->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    });
    label->setBuddy(m_tokenField);
    layout->addWidget(m_tokenField);
    m_tokenSource = new QLabel(page);
    m_tokenSource->setWordWrap(true);
    m_tokenSource->setAccessibleName(tr("Token source"));
    layout->addWidget(m_tokenSource);

    auto *row = new QHBoxLayout;
    m_saveToken = new QPushButton(tr("Save token"), page);
    m_saveToken->setToolTip(tr("Keep this token in the system keychain and use it from now on"));
    m_removeToken = new QPushButton(tr("Remove"), page);
    m_removeToken->setToolTip(tr("Delete the stored token from the system keychain"));
    m_testConnection = new QPushButton(tr("Test connection"), page);
    m_testConnection->setToolTip(tr(
        "Ask Replicate which account the token belongs to (the typed token, or the one in use)"));
    row->addWidget(m_saveToken);
    row->addWidget(m_removeToken);
    row->addStretch();
    row->addWidget(m_testConnection);
    layout->addLayout(row);
    m_connectionResult = new QLabel(page);
    m_connectionResult->setWordWrap(true);
    m_connectionResult->setAccessibleName(tr("Connection test result"));
    m_connectionResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_connectionResult);
    layout->addStretch();

    connect(m_saveToken, &QPushButton::clicked, this, &SettingsDialog::saveToken);
    connect(m_removeToken, &QPushButton::clicked, this, &SettingsDialog::removeToken);
    connect(m_testConnection, &QPushButton::clicked, this, &SettingsDialog::testConnection);
    connect(m_tokenField, &QLineEdit::returnPressed, this, &SettingsDialog::saveToken);

    if (m_context.tokens) {
        m_context.tokens->read(this, [this](const TokenStore::Outcome &outcome) {
            // A keychain that fails to read (no D-Bus session, say) won't store either.
            m_keychainAvailable = outcome.status == TokenStore::Status::Ok
                                  || outcome.status == TokenStore::Status::NotFound;
            m_tokenStored = outcome.status == TokenStore::Status::Ok;
            m_keychainProblem =
                outcome.status == TokenStore::Status::Failed ? outcome.message : QString();
            refreshTokenSource();
        });
    } else {
        m_keychainAvailable = false;
    }
    return page;
}

void SettingsDialog::refreshTokenSource()
{
    const auto source = m_context.token ? m_context.token->source() : SharedToken::Source::None;
    const bool fromEnvironment = source == SharedToken::Source::Environment;
    m_tokenField->setEnabled(!fromEnvironment);
    m_saveToken->setEnabled(!fromEnvironment);
    m_saveToken->setText(m_keychainAvailable ? tr("Save token") : tr("Use for this session"));
    m_removeToken->setEnabled(!fromEnvironment && m_keychainAvailable && m_tokenStored);
    QString text;
    if (fromEnvironment) {
        text = tr("Using REPLICATE_API_TOKEN from the environment. Change it there and restart "
                  "Brieflow.");
        m_tokenField->setPlaceholderText(tr("Set by REPLICATE_API_TOKEN"));
    } else if (!m_keychainAvailable) {
        text = keychainUnavailableMessage();
        if (!m_keychainProblem.isEmpty())
            text += QLatin1Char(' ') + m_keychainProblem;
        if (source == SharedToken::Source::Session)
            text = tr("Using a token for this session only.") + QLatin1Char(' ') + text;
    } else if (m_tokenStored) {
        text = tr("A token is stored in %1. Paste a new one to replace it.")
                   .arg(m_context.tokens->displayName());
    } else {
        text = tr("No token is stored yet.");
    }
    m_tokenSource->setText(text);
}

QString SettingsDialog::tokenForCalls() const
{
    const QString typed = m_tokenField->isEnabled() ? m_tokenField->text().trimmed() : QString();
    if (!typed.isEmpty())
        return typed;
    if (!m_context.token || m_context.token->source() == SharedToken::Source::Demo)
        return {}; // the demo's placeholder means nothing to Replicate
    return m_context.token->token();
}

void SettingsDialog::saveToken()
{
    const QString token = m_tokenField->text().trimmed();
    if (token.isEmpty()) {
        showConnectionResult(false, tr("Paste a token first."));
        return;
    }
    if (token.contains(QLatin1Char(' ')) || token.contains(QLatin1Char('\n'))) {
        showConnectionResult(false, tr("A token has no spaces in it; check what you pasted."));
        return;
    }
    auto useForSession = [this, token](SharedToken::Source source, const QString &message) {
        if (m_context.token && !m_context.demo)
            m_context.token->set(token, source);
        m_tokenField->clear();
        showConnectionResult(true, message);
        refreshTokenSource();
        Q_EMIT tokenChanged();
    };
    if (!m_context.tokens || !m_keychainAvailable) {
        useForSession(SharedToken::Source::Session,
                      tr("Using the token for this session only; it is not stored."));
        return;
    }
    m_saveToken->setEnabled(false);
    m_context.tokens->write(token, this, [this, useForSession](const TokenStore::Outcome &o) {
        m_saveToken->setEnabled(true);
        switch (o.status) {
        case TokenStore::Status::Ok:
            m_tokenStored = true;
            useForSession(SharedToken::Source::Keychain,
                          tr("Saved in %1.").arg(m_context.tokens->displayName()));
            return;
        case TokenStore::Status::Unavailable:
            m_keychainAvailable = false;
            refreshTokenSource();
            showConnectionResult(false, o.message);
            return;
        case TokenStore::Status::NotFound:
        case TokenStore::Status::Failed:
            break;
        }
        showConnectionResult(false, o.message);
    });
}

void SettingsDialog::removeToken()
{
    if (!m_context.tokens)
        return;
    m_context.tokens->remove(this, [this](const TokenStore::Outcome &o) {
        if (o.status != TokenStore::Status::Ok) {
            showConnectionResult(false, o.message);
            return;
        }
        m_tokenStored = false;
        if (m_context.token && m_context.token->source() == SharedToken::Source::Keychain)
            m_context.token->set({}, SharedToken::Source::None);
        showConnectionResult(
            true, tr("The token was removed from %1.").arg(m_context.tokens->displayName()));
        refreshTokenSource();
        Q_EMIT tokenChanged();
    });
}

void SettingsDialog::testConnection()
{
    const QString token = tokenForCalls();
    if (token.isEmpty()) {
        showConnectionResult(false, tr("There is no token to test: paste one above."));
        return;
    }
    m_testConnection->setEnabled(false);
    m_connectionResult->setText(tr("Asking Replicate…"));
    m_probe->account(token, this, [this](const ProviderResult<Account> &result) {
        m_testConnection->setEnabled(true);
        if (!result) {
            showConnectionResult(false, describeProviderProblem(result.error()));
            return;
        }
        const Account &account = result.value();
        showConnectionResult(true, tr("Connected as %1").arg(account.username));
    });
}

void SettingsDialog::showConnectionResult(bool ok, const QString &message)
{
    const QString mark = ok ? QStringLiteral("✓ ") : QStringLiteral("⚠ ");
    m_connectionResult->setText(mark + message);
    QPalette p = palette();
    if (!ok)
        p.setColor(QPalette::WindowText, QColor(0xb3, 0x26, 0x1e));
    m_connectionResult->setPalette(p);
    Q_EMIT connectionTested(ok, message);
}

// --- Models -------------------------------------------------------------------------------

QWidget *SettingsDialog::buildModelsPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 8, 16, 8);
    layout->addWidget(pageTitle(tr("Models"), page));
    layout->addWidget(note(tr("The Replicate model each step runs, as owner/name (the latest "
                              "version) or owner/name:version. Check compares each with the "
                              "inputs Brieflow sends. Changes apply to steps that start after "
                              "you save."),
                           page));
    auto workflow = builtinWorkflow(defaultWorkflowId());
    if (workflow) {
        for (const StepDefinition &step : workflow->steps) {
            const Setting<QString> *setting = modelSetting(step.name);
            if (!setting)
                continue;
            ModelRow row;
            const QJsonObject input = QJsonDocument::fromJson(step.inputTemplate).object();
            row.inputKeys = input.keys();
            row.wantsImages = step.kind == StepKind::Image;
            auto *label = new QLabel(step.title, page);
            QFont bold = label->font();
            bold.setBold(true);
            label->setFont(bold);
            row.field = new QLineEdit(m_context.settings->value(*setting), page);
            row.field->setPlaceholderText(setting->defaultValue);
            row.field->setAccessibleName(tr("Model for %1").arg(step.title));
            row.field->setToolTip(tr("Default: %1").arg(setting->defaultValue));
            label->setBuddy(row.field);
            row.message = new FieldMessage(tr("Default: %1").arg(setting->defaultValue), page);
            layout->addSpacing(8);
            layout->addWidget(label);
            layout->addWidget(row.field);
            layout->addWidget(row.message);
            connect(row.field, &QLineEdit::textEdited, row.message, &FieldMessage::showHint);
            m_models.insert(step.name, row);
            m_modelOrder << step.name;
        }
    }
    auto *buttons = new QHBoxLayout;
    m_checkModels = new QPushButton(tr("Check models"), page);
    m_checkModels->setToolTip(tr("Ask Replicate whether each model exists and takes these inputs"));
    auto *defaults = new QPushButton(tr("Restore defaults"), page);
    defaults->setToolTip(tr("Put the built-in models back"));
    buttons->addWidget(m_checkModels);
    buttons->addWidget(defaults);
    buttons->addStretch();
    layout->addSpacing(8);
    layout->addLayout(buttons);
    layout->addStretch();
    connect(m_checkModels, &QPushButton::clicked, this, &SettingsDialog::checkModels);
    connect(defaults, &QPushButton::clicked, this, [this] {
        for (auto it = m_models.begin(); it != m_models.end(); ++it) {
            it->field->setText(modelSetting(it.key())->defaultValue);
            it->message->showHint();
        }
    });
    return page;
}

void SettingsDialog::checkModels()
{
    if (m_pendingChecks > 0)
        return;
    const QString token = tokenForCalls();
    m_checksOk = true;
    m_pendingChecks = static_cast<int>(m_modelOrder.size());
    m_checkModels->setEnabled(false);
    for (const QString &step : std::as_const(m_modelOrder)) {
        const ModelRow row = m_models.value(step);
        const QString ref = row.field->text().trimmed().isEmpty() ? row.field->placeholderText()
                                                                  : row.field->text().trimmed();
        row.message->setText(tr("Checking…"));
        m_probe->checkModel(token, ref, row.inputKeys, row.wantsImages, this,
                            [this, step](const ModelCheck &check) {
                                FieldMessage *message = m_models.value(step).message;
                                if (check.ok) {
                                    message->showHint();
                                    message->setText(QStringLiteral("✓ ") + check.message);
                                } else
                                    message->showProblem(check.message);
                                m_checksOk = m_checksOk && check.ok;
                                if (--m_pendingChecks == 0) {
                                    m_checkModels->setEnabled(true);
                                    Q_EMIT modelsChecked(m_checksOk);
                                }
                            });
    }
}

// --- Engine -------------------------------------------------------------------------------

QWidget *SettingsDialog::buildEnginePage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 8, 16, 8);
    layout->addWidget(pageTitle(tr("Engine"), page));
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    const Settings &s = *m_context.settings;
    m_jobs = spin(1, 16, s.value(Settings::MaxConcurrentJobs), tr("Jobs at once"),
                  tr("How many briefs run side by side"), page);
    m_predictions =
        spin(1, 32, s.value(Settings::MaxPredictionsInFlight), tr("Predictions in flight"),
             tr("How many model calls may run at Replicate at the same time"), page);
    m_pollBudget = spin(1, 50, s.value(Settings::PollBudgetPerSecond), tr("Polling budget"),
                        tr("Status checks per second shared by every running prediction "
                           "(Replicate allows 50)"),
                        page);
    m_pollBudget->setSuffix(tr(" per second"));
    form->addRow(tr("Jobs at once"), m_jobs);
    form->addRow(tr("Predictions in flight"), m_predictions);
    form->addRow(tr("Polling budget"), m_pollBudget);
    layout->addLayout(form);
    layout->addWidget(note(tr("Jobs and predictions apply at once; the polling budget when you "
                              "save."),
                           page));
    layout->addWidget(buildWebhooksGroup(page));
    layout->addStretch();
    return page;
}

QGroupBox *SettingsDialog::buildWebhooksGroup(QWidget *page)
{
    const Settings &s = *m_context.settings;
    m_webhooks = new QGroupBox(tr("Webhooks (advanced)"), page);
    m_webhooks->setCheckable(true);
    m_webhooks->setChecked(s.value(Settings::WebhooksEnabled));
    auto *box = new QVBoxLayout(m_webhooks);
    box->addWidget(note(tr("Replicate can tell Brieflow when a step finishes instead of Brieflow "
                           "asking, which saves requests. Replicate must be able to reach this "
                           "computer for that: through a tunnel or a server with a public https "
                           "address, entered below. Brieflow keeps checking on its own either "
                           "way, only less often. Changes apply the next time Brieflow starts."),
                        m_webhooks));
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_webhookAddress = new QLineEdit(s.value(Settings::WebhooksListenAddress), m_webhooks);
    m_webhookAddress->setAccessibleName(tr("Listen address"));
    m_webhookAddress->setToolTip(tr("127.0.0.1 accepts connections from this computer only (a "
                                    "tunnel running here); 0.0.0.0 from every network"));
    m_webhookPort = new QSpinBox(m_webhooks);
    m_webhookPort->setRange(0, 65535);
    m_webhookPort->setSpecialValueText(tr("Any free port"));
    m_webhookPort->setValue(s.value(Settings::WebhooksPort));
    m_webhookPort->setAccessibleName(tr("Port"));
    m_webhookPublicUrl = new QLineEdit(s.value(Settings::WebhooksPublicUrl), m_webhooks);
    m_webhookPublicUrl->setPlaceholderText(
        tr("https://your-tunnel.example.com/webhooks/replicate"));
    m_webhookPublicUrl->setAccessibleName(tr("Public URL"));
    m_webhookPublicUrl->setToolTip(tr("The https address Replicate calls, forwarded to the address "
                                      "and port above (path /webhooks/replicate)"));
    m_webhookMessage = new FieldMessage(
        tr("Empty: Replicate is given this computer's local address (only useful for testing)."),
        m_webhooks);
    form->addRow(tr("Listen address"), m_webhookAddress);
    form->addRow(tr("Port"), m_webhookPort);
    form->addRow(tr("Public URL"), m_webhookPublicUrl);
    box->addLayout(form);
    box->addWidget(m_webhookMessage);
    return m_webhooks;
}

bool SettingsDialog::checkWebhooks()
{
    if (!m_webhooks->isChecked()) {
        m_webhookMessage->showHint();
        return true;
    }
    const auto options = webhookOptionsFromUser(m_webhookAddress->text(), m_webhookPort->value(),
                                                m_webhookPublicUrl->text());
    if (!options) {
        m_webhookMessage->showProblem(options.error());
        return false;
    }
    m_webhookMessage->showHint();
    return true;
}

// --- Data ---------------------------------------------------------------------------------

QWidget *SettingsDialog::buildDataPage()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 8, 16, 8);
    layout->addWidget(pageTitle(tr("Data"), page));
    layout->addWidget(
        note(tr("Jobs, their images and the job database live in this folder."), page));
    m_dataFolder = new QLabel(m_context.paths.dataDir(), page);
    m_dataFolder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dataFolder->setAccessibleName(tr("Data folder"));
    m_dataFolder->setWordWrap(true);
    layout->addWidget(m_dataFolder);
    auto *row = new QHBoxLayout;
    auto *open =
        new QPushButton(QIcon(QStringLiteral(":/icons/folder-open.svg")), tr("Open folder"), page);
    open->setToolTip(tr("Show the data folder in the file manager"));
    auto *change = new QPushButton(tr("Change…"), page);
    change->setToolTip(tr("Keep Brieflow's data in another folder (after a restart)"));
    row->addWidget(open);
    row->addWidget(change);
    row->addStretch();
    layout->addLayout(row);
    m_dataNote = note({}, page);
    layout->addWidget(m_dataNote);
    if (m_context.demo) {
        change->setEnabled(false);
        m_dataNote->setText(tr("Demo mode keeps its own folder, apart from real work."));
    } else if (m_context.paths.isOverridden()) {
        change->setEnabled(false);
        m_dataNote->setText(tr("Set by --data-dir or BRIEFLOW_DATA_DIR for this run."));
    }
    layout->addStretch();
    connect(open, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_context.paths.dataDir())); });
    connect(change, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Data folder"), m_context.paths.dataDir());
        if (dir.isEmpty())
            return;
        m_newDataFolder = dir;
        m_dataNote->setText(tr("Brieflow will use %1 after it restarts. Jobs in the current "
                               "folder stay there.")
                                .arg(dir));
    });
    return page;
}

// --- Saving -------------------------------------------------------------------------------

void SettingsDialog::apply()
{
    Settings &s = *m_context.settings;
    for (auto it = m_models.cbegin(); it != m_models.cend(); ++it) {
        const Setting<QString> *setting = modelSetting(it.key());
        const QString text = it->field->text().trimmed();
        if (text.isEmpty() || text == setting->defaultValue)
            s.reset(*setting);
        else
            s.setValue(*setting, text);
    }
    const bool concurrency = m_jobs->value() != s.value(Settings::MaxConcurrentJobs)
                             || m_predictions->value() != s.value(Settings::MaxPredictionsInFlight);
    s.setValue(Settings::MaxConcurrentJobs, m_jobs->value());
    s.setValue(Settings::MaxPredictionsInFlight, m_predictions->value());
    s.setValue(Settings::PollBudgetPerSecond, m_pollBudget->value());
    if (!m_newDataFolder.isEmpty())
        s.setValue(Settings::DataFolder, m_newDataFolder);
    // Webhooks are written only when they make sense; the message says what to fix.
    if (checkWebhooks()) {
        s.setValue(Settings::WebhooksEnabled, m_webhooks->isChecked());
        s.setValue(Settings::WebhooksListenAddress, m_webhookAddress->text().trimmed());
        s.setValue(Settings::WebhooksPort, m_webhookPort->value());
        s.setValue(Settings::WebhooksPublicUrl, m_webhookPublicUrl->text().trimmed());
    }
    // Prices and the budget too; the message says what to fix.
    bool costChanged = false;
    PriceTable prices;
    double budget = 0;
    if (checkCost()) {
        prices = *editedPrices();
        budget = *editedBudget();
        const QByteArray json = prices == PriceTable::defaults() ? QByteArray() : prices.toJson();
        costChanged =
            json != s.value(Settings::ModelPrices) || budget != s.value(Settings::DailyBudgetUsd);
        if (json.isEmpty())
            s.reset(Settings::ModelPrices);
        else
            s.setValue(Settings::ModelPrices, json);
        if (budget > 0)
            s.setValue(Settings::DailyBudgetUsd, budget);
        else
            s.reset(Settings::DailyBudgetUsd);
    }
    s.sync();
    if (concurrency)
        Q_EMIT concurrencyChanged(m_jobs->value(), m_predictions->value());
    if (costChanged)
        Q_EMIT costSettingsChanged(prices, budget);
}

void SettingsDialog::accept()
{
    apply();
    if (!checkWebhooks()) {
        showPage(Page::Engine);
        m_webhookPublicUrl->setFocus();
        return;
    }
    if (!checkCost()) {
        showPage(Page::Cost);
        return;
    }
    QDialog::accept();
}

} // namespace brieflow::ui
